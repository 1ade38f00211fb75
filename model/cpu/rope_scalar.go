//go:build !(goexperiment.simd && amd64)

package cpu

// ropeRows32 is the vector rotation of rope2D's float32 rows, which this build lacks: it
// does nothing and returns false.
func ropeRows32(out, in, pairs []float32, lo, hi, tokens, width, dh, cells int, sign float32) bool {
	return false
}
