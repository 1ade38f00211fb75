//go:build goexperiment.simd && amd64

package cpu

import "simd/archsimd"

// adamW32 is one AdamW step of float32 elements in 8 float64 lanes with AVX-512, the same
// float64 arithmetic as adamWScalar. p, g, m, v: [n].
func adamW32(p, g, m, v []float32, k *adamWCoeffs) {
	if !vector16 {
		adamWScalar(p, g, m, v, k)
		return
	}
	c := archsimd.BroadcastFloat64x8
	gs, b1, b2, c1, c2 := c(k.gs), c(k.b1), c(k.b2), c(1-k.b1), c(1-k.b2)
	lr, eps, wd, bc1, bc2 := c(k.lr), c(k.eps), c(k.wd), c(k.bc1), c(k.bc2)
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
	adamWScalar(p[n:], g[n:len(p)], m[n:len(p)], v[n:len(p)], k)
}
