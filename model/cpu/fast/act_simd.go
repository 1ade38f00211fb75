//go:build goexperiment.simd && amd64

package fast

import "simd/archsimd"

// The activations of model/cpu's float32 kernels, 16 lanes at a time with AVX-512: each
// handles the longest prefix of whole vectors and returns its length, 0 on other CPUs; the
// caller's scalar loop does the rest.

// Sigmoids sets s[j] = σ(x[j]) for the first n elements and returns n. s, x: [n or more].
func Sigmoids(s, x []float32) int {
	if !vector16 {
		return 0
	}
	n := len(x) &^ 15
	for j := 0; j < n; j += 16 {
		sigmoid16(archsimd.LoadFloat32x16((*[16]float32)(x[j:]))).Store((*[16]float32)(s[j:]))
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// sigmoid16 is σ(v) in 16 lanes, as model/cpu's stableSigmoid: e = e^−|v| ≤ 1, σ = 1/(1+e) for v ≥ 0,
// e/(1+e) below.
func sigmoid16(v archsimd.Float32x16) archsimd.Float32x16 {
	one := archsimd.BroadcastFloat32x16(1)
	var zero archsimd.Float32x16
	e := exp16(v.Min(zero.Sub(v)))
	d := one.Add(e)
	return one.Div(d).Merge(e.Div(d), v.GreaterEqual(zero))
}

// SwiGLUBackward sets da = silu'(a)·b·dy and db = silu(a)·dy for the first n elements and
// returns n. da, db, a, b, dy: [n or more].
func SwiGLUBackward(da, db, a, b, dy []float32) int {
	if !vector16 {
		return 0
	}
	n := len(a) &^ 15
	one := archsimd.BroadcastFloat32x16(1)
	for j := 0; j < n; j += 16 {
		x := archsimd.LoadFloat32x16((*[16]float32)(a[j:]))
		g := archsimd.LoadFloat32x16((*[16]float32)(dy[j:]))
		s := sigmoid16(x)
		// silu'(x) = s·(1 + x·(1−s)); silu(x) = x·s.
		slope := s.Mul(x.Mul(one.Sub(s)).Add(one))
		slope.Mul(archsimd.LoadFloat32x16((*[16]float32)(b[j:]))).Mul(g).Store((*[16]float32)(da[j:]))
		x.Mul(s).Mul(g).Store((*[16]float32)(db[j:]))
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// exp16 is e^x in 16 lanes for x ≤ 88 (within 2·10⁻⁶ relative, TestExpRows): x = n·ln2 + r
// with |r| ≤ ln2/2, e^r = 1 + r + r²·P(r) with Cephes' expf polynomial P of degree 5, times
// 2^n by VSCALEFPS, which flushes to 0 below the float32 range. Inputs are clamped at −104
// first, where e^x is already 0, so that −Inf gives 0 instead of NaN; NaN stays NaN.
func exp16(x archsimd.Float32x16) archsimd.Float32x16 {
	const (
		log2e = 1.44269504088896341
		ln2Hi = 0.693359375 // 9 significant bits: n·ln2Hi is exact
		ln2Lo = -2.12194440e-4
	)
	c := archsimd.BroadcastFloat32x16
	xc := x.Max(c(-104))
	n := xc.Mul(c(log2e)).RoundToEvenScaled(0)
	r := n.MulAdd(c(-ln2Hi), xc)
	r = n.MulAdd(c(-ln2Lo), r)
	p := c(1.9875691500e-4).MulAdd(r, c(1.3981999507e-3))
	p = p.MulAdd(r, c(8.3334519073e-3))
	p = p.MulAdd(r, c(4.1665795894e-2))
	p = p.MulAdd(r, c(1.6666665459e-1))
	p = p.MulAdd(r, c(5.0000001201e-1))
	e := p.MulAdd(r.Mul(r), r.Add(c(1))).Scale(n)
	return x.Merge(e, x.IsNaN())
}

// Act sets out = f(in), or f'(in)·dOut when dOut is not nil, for the first n elements and
// returns n, f being SiLU, x·σ(x), or with gelu GELU's tanh approximation
// x·σ(2k·(x + c·x³)): the sigmoid arguments, values and slopes of model/cpu's actArg,
// actValueOf and actSlopeOf. out, in, dOut: [n or more].
func Act(out, in, dOut []float32, gelu bool, k, c float64) int {
	if !vector16 {
		return 0
	}
	b := func(v float64) archsimd.Float32x16 { return archsimd.BroadcastFloat32x16(float32(v)) }
	one, twoK, kc, k3c := b(1), b(2*k), b(2*k*c), b(3*c)
	n := len(in) &^ 15
	for j := 0; j < n; j += 16 {
		x := archsimd.LoadFloat32x16((*[16]float32)(in[j:]))
		z := x
		if gelu {
			z = x.Mul(x).Mul(x).Mul(kc).Add(x.Mul(twoK)) // 2K·(x + C·x³)
		}
		s := sigmoid16(z)
		dst := (*[16]float32)(out[j:])
		if dOut == nil {
			x.Mul(s).Store(dst)
			continue
		}
		d := x.Mul(one.Sub(s)) // x·(1−s)
		if gelu {
			d = d.Mul(twoK).Mul(k3c.Mul(x).Mul(x).Add(one)) // ·2K·(1 + 3C·x²)
		}
		s.Mul(d.Add(one)).Mul(archsimd.LoadFloat32x16((*[16]float32)(dOut[j:]))).Store(dst)
	}
	archsimd.ClearAVXUpperBits()
	return n
}
