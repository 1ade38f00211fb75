//go:build !(goexperiment.simd && amd64)

package cpu

// adamW32 is one AdamW step of float32 elements. p, g, m, v: [n].
func adamW32(p, g, m, v []float32, k *adamWCoeffs) { adamWScalar(p, g, m, v, k) }
