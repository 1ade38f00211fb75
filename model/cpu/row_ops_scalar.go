//go:build !(goexperiment.simd && amd64)

package cpu

// weightedDot32 is weightedDot for float32 rows.
func weightedDot32(a, b, w []float32) float64 { return weightedDotScalar(a, b, w) }

// scaleGain32 is scaleGain for float32 rows.
func scaleGain32(y, x, g []float32, s float64) { scaleGainScalar(y, x, g, s) }

// normBackwardRow32 is normBackwardRow for float32 rows.
func normBackwardRow32(dx, dy, x, g []float32, s, k float64) {
	normBackwardRowScalar(dx, dy, x, g, s, k)
}

// accumulate32 is accumulate for float32 rows.
func accumulate32(acc []float64, a, b []float32, s float64) { accumulateScalar(acc, a, b, s) }

// maxOf is the largest of m and the elements of row, NaN if any is NaN. row: [n].
func maxOf(row []float32, m float32) float32 { return maxOfScalar(row, m) }

// scaleRow multiplies row by s in float32. row: [n].
func scaleRow(row []float32, s float32) { scaleRowScalar(row, s) }
