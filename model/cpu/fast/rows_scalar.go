//go:build !(goexperiment.simd && amd64)

package cpu

// weightedDot32 is weightedDot for float32 rows.
func weightedDot32(a, b, w []float32) float64 { return weightedDotScalar(a, b, w) }

// mulAffine32 is mulAffine for float32 rows.
func mulAffine32(y, x, g []float32, s, k float64) { mulAffineScalar(y, x, g, s, k) }

// axpby32 is axpbyRow for float32 rows.
func axpby32(y, x []float32, alpha, beta float32) { axpbyScalar(y, x, alpha, beta) }

// normBackwardRow32 is normBackwardRow for float32 rows.
func normBackwardRow32(dx, dy, x, g []float32, s, k float64) {
	normBackwardRowScalar(dx, dy, x, g, s, k)
}

// accumulate32 is accumulate for float32 rows.
func accumulate32(acc []float64, a, b []float32, s float64) { accumulateScalar(acc, a, b, s) }

// columnSums32 is columnSums for float32 rows.
func columnSums32(acc []float64, a, b, scale []float32, rows, stride int) {
	columnSumsScalar(acc, a, b, scale, rows, stride)
}

// maxOf is the largest of m and the elements of row, NaN if any is NaN. row: [n].
func maxOf(row []float32, m float32) float32 { return maxOfScalar(row, m) }

// scaleRow multiplies row by s in float32. row: [n].
func scaleRow(row []float32, s float32) { scaleRowScalar(row, s) }
