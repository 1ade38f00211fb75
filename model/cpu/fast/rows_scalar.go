//go:build !(goexperiment.simd && amd64)

package fast

// Without the simd experiment this build has no vector lanes: every row kernel handles no
// element and leaves the whole row to the caller's scalar loop, which is what WebAssembly
// runs.

// WeightedDot handles no element: it returns 0, 0.
func WeightedDot(a, b, w []float32) (sum float64, n int) { return 0, 0 }

// MulAffine handles no element: it returns 0.
func MulAffine(y, x, g []float32, s, k float64) int { return 0 }

// Axpby handles no element: it returns 0.
func Axpby(y, x []float32, alpha, beta float32) int { return 0 }

// NormBackward handles no element: it returns 0.
func NormBackward(dx, dy, x, g []float32, s, k float64) int { return 0 }

// Accumulate handles no element: it returns 0.
func Accumulate(acc []float64, a, b []float32, s float64) int { return 0 }

// ColumnSums handles no column: it returns 0.
func ColumnSums(acc []float64, a, b, scale []float32, rows, stride int) int { return 0 }

// Sigmoids handles no element: it returns 0.
func Sigmoids(s, x []float32) int { return 0 }

// SwiGLUBackward handles no element: it returns 0.
func SwiGLUBackward(da, db, a, b, dy []float32) int { return 0 }

// Act handles no element: it returns 0.
func Act(out, in, dOut []float32, gelu bool, k, c float64) int { return 0 }

// AdamW handles no element: it returns 0.
func AdamW(p, g, m, v []float32, k *AdamWCoeffs) int { return 0 }

// RoPE rotates nothing: it returns false.
func RoPE(out, in, pairs []float32, lo, hi, tokens, width, dh, cells int, sign float32) bool {
	return false
}
