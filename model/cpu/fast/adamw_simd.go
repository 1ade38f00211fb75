//go:build goexperiment.simd && amd64

package fast

import "simd/archsimd"

// AdamW takes one AdamW step of the first n elements in 8 float64 lanes with AVX-512, the
// same float64 arithmetic as model/cpu's adamWScalar, and returns n (0 on other CPUs).
// p, g, m, v: [n or more].
func AdamW(p, g, m, v []float32, k *AdamWCoeffs) int {
	if !vector16 {
		return 0
	}
	c := archsimd.BroadcastFloat64x8
	gs, b1, b2, c1, c2 := c(k.GS), c(k.B1), c(k.B2), c(1-k.B1), c(1-k.B2)
	lr, eps, wd, bc1, bc2 := c(k.LR), c(k.Eps), c(k.WD), c(k.BC1), c(k.BC2)
	n := len(p) &^ 7
	for i := 0; i < n; i += 8 {
		gi := lanes8(g, i).Mul(gs)
		mi := b1.Mul(lanes8(m, i)).Add(c1.Mul(gi))
		vi := b2.Mul(lanes8(v, i)).Add(c2.Mul(gi).Mul(gi))
		mi.ConvertToFloat32().Store((*[8]float32)(m[i:]))
		vi.ConvertToFloat32().Store((*[8]float32)(v[i:]))
		pi := lanes8(p, i)
		step := mi.Mul(bc1).Div(vi.Mul(bc2).Sqrt().Add(eps)).Add(wd.Mul(pi))
		pi.Sub(lr.Mul(step)).ConvertToFloat32().Store((*[8]float32)(p[i:]))
	}
	archsimd.ClearAVXUpperBits()
	return n
}
