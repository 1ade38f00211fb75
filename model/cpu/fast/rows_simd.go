//go:build goexperiment.simd && amd64

package fast

import "simd/archsimd"

// The row kernels of model/cpu's float32 norms, adaLN and sums, in 8 float64 lanes (16
// float32 lanes for Axpby) with AVX-512: each handles the longest prefix of whole vectors
// and returns its length, 0 on other CPUs; the caller's scalar loop does the rest.

// lanes8 loads x[i:i+8] widened to float64.
func lanes8(x []float32, i int) archsimd.Float64x8 {
	return archsimd.LoadFloat32x8((*[8]float32)(x[i:])).ConvertToFloat64()
}

// halves adds the 8 lanes of v down to 2 within the registers, stores them and clears the
// upper vector state (as model/cpu/pool does before each chunk) before the caller adds them: scalar float code
// while that state is dirty stalls, and the compiler copies arrays and moves GetElem results
// with legacy-SSE instructions.
func halves(v archsimd.Float64x8) (l [2]float64) {
	h := v.GetLo().Add(v.GetHi())
	h.GetLo().Add(h.GetHi()).Store(&l)
	archsimd.ClearAVXUpperBits()
	return l
}

// WeightedDot returns Σ a[i]·b[i]·w[i] over the first n elements (w[i] = 1 when w is nil),
// summed in float64, and n. a, b, w: [n or more].
func WeightedDot(a, b, w []float32) (sum float64, n int) {
	if !vector16 {
		return 0, 0
	}
	n = len(a) &^ 7
	var acc archsimd.Float64x8
	for i := 0; i < n; i += 8 {
		p := lanes8(a, i).Mul(lanes8(b, i))
		if w != nil {
			p = p.Mul(lanes8(w, i))
		}
		acc = acc.Add(p)
	}
	l := halves(acc)
	return l[0] + l[1], n
}

// MulAffine sets y[i] = x[i]·(s·g[i] + k) (g[i] = 1 when g is nil), computed in float64,
// for the first n elements and returns n. y, x, g: [n or more].
func MulAffine(y, x, g []float32, s, k float64) int {
	if !vector16 {
		return 0
	}
	n := len(x) &^ 7
	sv, kv := archsimd.BroadcastFloat64x8(s), archsimd.BroadcastFloat64x8(k)
	f := sv.Add(kv) // s·1 + k, for g nil
	for i := 0; i < n; i += 8 {
		if g != nil {
			f = lanes8(g, i).MulAdd(sv, kv)
		}
		lanes8(x, i).Mul(f).ConvertToFloat32().Store((*[8]float32)(y[i:]))
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// Axpby sets y[i] = alpha·x[i] + beta·y[i] in float32 for the first n elements, 16 lanes at
// a time, and returns n. y, x: [n or more].
func Axpby(y, x []float32, alpha, beta float32) int {
	if !vector16 {
		return 0
	}
	n := len(y) &^ 15
	av, bv := archsimd.BroadcastFloat32x16(alpha), archsimd.BroadcastFloat32x16(beta)
	for i := 0; i < n; i += 16 {
		yp := (*[16]float32)(y[i:])
		archsimd.LoadFloat32x16((*[16]float32)(x[i:])).MulAdd(av, archsimd.LoadFloat32x16(yp).Mul(bv)).Store(yp)
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// NormBackward sets dx[i] = s·g[i]·dy[i] − k·x[i] (g[i] = 1 when g is nil), computed in
// float64, for the first n elements and returns n. dx, dy, x, g: [n or more].
func NormBackward(dx, dy, x, g []float32, s, k float64) int {
	if !vector16 {
		return 0
	}
	n := len(x) &^ 7
	sv, kv := archsimd.BroadcastFloat64x8(s), archsimd.BroadcastFloat64x8(-k)
	for i := 0; i < n; i += 8 {
		d := lanes8(dy, i).Mul(sv)
		if g != nil {
			d = d.Mul(lanes8(g, i))
		}
		lanes8(x, i).MulAdd(kv, d).ConvertToFloat32().Store((*[8]float32)(dx[i:]))
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// Accumulate adds acc[i] += a[i]·b[i]·s (b[i] = 1 when b is nil) for the first n elements
// and returns n. acc, a, b: [n or more].
func Accumulate(acc []float64, a, b []float32, s float64) int {
	if !vector16 {
		return 0
	}
	n := len(a) &^ 7
	sv := archsimd.BroadcastFloat64x8(s)
	for i := 0; i < n; i += 8 {
		p := lanes8(a, i)
		if b != nil {
			p = p.Mul(lanes8(b, i))
		}
		dst := (*[8]float64)(acc[i:])
		p.MulAdd(sv, archsimd.LoadFloat64x8(dst)).Store(dst)
	}
	archsimd.ClearAVXUpperBits()
	return n
}

// ColumnSums adds to acc the column sums of the first n columns of a strip of rows and
// returns n, a multiple of 64: acc[c] += Σ_r a[r·stride+c]·b[r·stride+c]·scale[r], with
// b[…] = 1 when b is nil and scale[r] = 1 when scale is nil, each column summed in float64
// in row order. Each 64 columns sum in eight registers of float64 lanes through a block of
// rows (row by row, acc would be loaded and stored for every row). Each block's scales are
// widened to float64 before its vector code (see halves: scalar float code between vector
// instructions stalls). acc: [w]; a, b: rows rows of stride elements from the strip's first
// column; scale: [rows] or nil.
func ColumnSums(acc []float64, a, b, scale []float32, rows, stride int) int {
	w := len(acc)
	if !vector16 || w < 64 {
		return 0
	}
	const blockRows = 32
	var sc [blockRows + 1]float64 // +1: each row's scale loads as a pair
	for r0 := 0; r0 < rows; r0 += blockRows {
		n := min(blockRows, rows-r0)
		for i := range n {
			sc[i] = 1
			if scale != nil {
				sc[i] = float64(scale[r0+i])
			}
		}
		for c0 := 0; c0+64 <= w; c0 += 64 {
			dst := (*[64]float64)(acc[c0:])
			s0, s1 := archsimd.LoadFloat64x8((*[8]float64)(dst[0:])), archsimd.LoadFloat64x8((*[8]float64)(dst[8:]))
			s2, s3 := archsimd.LoadFloat64x8((*[8]float64)(dst[16:])), archsimd.LoadFloat64x8((*[8]float64)(dst[24:]))
			s4, s5 := archsimd.LoadFloat64x8((*[8]float64)(dst[32:])), archsimd.LoadFloat64x8((*[8]float64)(dst[40:]))
			s6, s7 := archsimd.LoadFloat64x8((*[8]float64)(dst[48:])), archsimd.LoadFloat64x8((*[8]float64)(dst[56:]))
			for i := range n {
				o := (r0+i)*stride + c0
				ra, rb := a[o:][:64], []float32(nil)
				if b != nil {
					rb = b[o:][:64]
				}
				sv := archsimd.LoadFloat64x2((*[2]float64)(sc[i:])).Broadcast1To8()
				s0 = columnTerm(ra, rb, 0).MulAdd(sv, s0)
				s1 = columnTerm(ra, rb, 8).MulAdd(sv, s1)
				s2 = columnTerm(ra, rb, 16).MulAdd(sv, s2)
				s3 = columnTerm(ra, rb, 24).MulAdd(sv, s3)
				s4 = columnTerm(ra, rb, 32).MulAdd(sv, s4)
				s5 = columnTerm(ra, rb, 40).MulAdd(sv, s5)
				s6 = columnTerm(ra, rb, 48).MulAdd(sv, s6)
				s7 = columnTerm(ra, rb, 56).MulAdd(sv, s7)
			}
			s0.Store((*[8]float64)(dst[0:]))
			s1.Store((*[8]float64)(dst[8:]))
			s2.Store((*[8]float64)(dst[16:]))
			s3.Store((*[8]float64)(dst[24:]))
			s4.Store((*[8]float64)(dst[32:]))
			s5.Store((*[8]float64)(dst[40:]))
			s6.Store((*[8]float64)(dst[48:]))
			s7.Store((*[8]float64)(dst[56:]))
		}
		archsimd.ClearAVXUpperBits()
	}
	return w &^ 63
}

// columnTerm is a[i:i+8] (times b[i:i+8] when b is not nil) in float64 lanes.
func columnTerm(a, b []float32, i int) archsimd.Float64x8 {
	p := lanes8(a, i)
	if b != nil {
		p = p.Mul(lanes8(b, i))
	}
	return p
}
