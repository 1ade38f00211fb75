//go:build goexperiment.simd && amd64

package cpu

import (
	"simd/archsimd"

	"flowsphere/model/tensor"
)

// expAffine sets row[j] = e^(scale·row[j] − shift) and returns the sum of the results, 16
// lanes at a time with AVX-512 (the tail and other CPUs one element at a time).
// Its callers keep scale·row[j] − shift at or below about 0. row: [n].
func expAffine(row []float32, scale, shift float32) float32 {
	if !vector16 || len(row) < 16 {
		return expAffineScalar(row, scale, shift)
	}
	scales, shifts := archsimd.BroadcastFloat32x16(scale), archsimd.BroadcastFloat32x16(-shift)
	var sums archsimd.Float32x16
	n := len(row) &^ 15
	for j := 0; j < n; j += 16 {
		v := (*[16]float32)(row[j:])
		e := exp16(archsimd.LoadFloat32x16(v).MulAdd(scales, shifts))
		e.Store(v)
		sums = sums.Add(e)
	}
	var lanes [16]float32
	sums.Store(&lanes)
	archsimd.ClearAVXUpperBits() // see clearVectorState
	sum := expAffineScalar(row[n:], scale, shift)
	for _, v := range lanes {
		sum += v
	}
	return sum
}

// sigmoids sets s[j] = σ(x[j]), 16 lanes at a time with AVX-512. s, x: [n].
func sigmoids(s, x []float32) {
	if !vector16 {
		sigmoidsScalar(s, x)
		return
	}
	n := len(x) &^ 15
	for j := 0; j < n; j += 16 {
		sigmoid16(archsimd.LoadFloat32x16((*[16]float32)(x[j:]))).Store((*[16]float32)(s[j:]))
	}
	archsimd.ClearAVXUpperBits()
	sigmoidsScalar(s[n:len(x)], x[n:])
}

// sigmoid16 is σ(v) in 16 lanes, as stableSigmoid: e = e^−|v| ≤ 1, σ = 1/(1+e) for v ≥ 0,
// e/(1+e) below.
func sigmoid16(v archsimd.Float32x16) archsimd.Float32x16 {
	one := archsimd.BroadcastFloat32x16(1)
	var zero archsimd.Float32x16
	e := exp16(v.Min(zero.Sub(v)))
	d := one.Add(e)
	return one.Div(d).Merge(e.Div(d), v.GreaterEqual(zero))
}

// swiGLUBackward32 is swiGLUBackwardRow for float32 rows, 16 lanes at a time with AVX-512.
func swiGLUBackward32(da, db, a, b, dy []float32) {
	if !vector16 {
		swiGLUBackwardScalar(da, db, a, b, dy)
		return
	}
	n := len(a) &^ 15
	one := archsimd.BroadcastFloat32x16(1)
	for j := 0; j < n; j += 16 {
		x := archsimd.LoadFloat32x16((*[16]float32)(a[j:]))
		g := archsimd.LoadFloat32x16((*[16]float32)(dy[j:]))
		s := sigmoid16(x)
		// actSlopeOf: silu'(x) = s·(1 + x·(1−s)); actValueOf: silu(x) = x·s.
		slope := s.Mul(x.Mul(one.Sub(s)).Add(one))
		slope.Mul(archsimd.LoadFloat32x16((*[16]float32)(b[j:]))).Mul(g).Store((*[16]float32)(da[j:]))
		x.Mul(s).Mul(g).Store((*[16]float32)(db[j:]))
	}
	archsimd.ClearAVXUpperBits()
	swiGLUBackwardScalar(da[n:len(a)], db[n:len(a)], a[n:], b[n:len(a)], dy[n:len(a)])
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

// act32 is actScalar for float32 rows, 16 lanes at a time with AVX-512: the same sigmoid
// arguments, values and slopes (actArg, actValueOf, actSlopeOf).
func act32(out, in, dOut []float32, f tensor.Activation) {
	if !vector16 {
		actScalar(out, in, dOut, f)
		return
	}
	c := archsimd.BroadcastFloat32x16
	one, twoK, kc, k3c := c(1), c(2*geluK), c(2*geluK*geluC), c(3*geluC)
	gelu := f == tensor.GELU
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
	if dOut != nil {
		dOut = dOut[n:]
	}
	actScalar(out[n:len(in)], in[n:], dOut, f)
}
