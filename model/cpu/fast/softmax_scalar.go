//go:build !(goexperiment.simd && amd64)

package fast

// expAffine sets row[j] = e^(scale·row[j] − shift) and returns the sum of the results.
// Its callers keep scale·row[j] − shift at or below about 0. row: [n].
func expAffine(row []float32, scale, shift float32) float32 {
	return expAffineScalar(row, scale, shift)
}

// maxOf is the largest of m and the elements of row, NaN if any is NaN. row: [n].
func maxOf(row []float32, m float32) float32 { return maxOfScalar(row, m) }

// scaleRow multiplies row by s in float32. row: [n].
func scaleRow(row []float32, s float32) { scaleRowScalar(row, s) }
