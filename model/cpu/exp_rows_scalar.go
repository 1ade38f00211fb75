//go:build !(goexperiment.simd && amd64)

package cpu

import "flowsphere/model/tensor"

// expAffine sets row[j] = e^(scale·row[j] − shift) and returns the sum of the results.
// Its callers keep scale·row[j] − shift at or below about 0. row: [n].
func expAffine(row []float32, scale, shift float32) float32 {
	return expAffineScalar(row, scale, shift)
}

// sigmoids sets s[j] = σ(x[j]). s, x: [n].
func sigmoids(s, x []float32) {
	sigmoidsScalar(s, x)
}

// swiGLUBackward32 is swiGLUBackwardRow for float32 rows.
func swiGLUBackward32(da, db, a, b, dy []float32) { swiGLUBackwardScalar(da, db, a, b, dy) }

// act32 is actScalar for float32 rows.
func act32(out, in, dOut []float32, f tensor.Activation) { actScalar(out, in, dOut, f) }
