//go:build goexperiment.simd && amd64

package cpu

import "simd/archsimd"

// The float32 row kernels in 8 float64 lanes (16 float32 lanes for maxOf and scaleRow) with
// AVX-512; the tail and other CPUs take the scalar forms.

// lanes8 loads x[i:i+8] widened to float64.
func lanes8(x []float32, i int) archsimd.Float64x8 {
	return archsimd.LoadFloat32x8((*[8]float32)(x[i:])).ConvertToFloat64()
}

// halves adds the 8 lanes of v down to 2 within the registers, stores them and clears the
// upper vector state (see clearVectorState) before the caller adds them: scalar float code
// while that state is dirty stalls, and the compiler copies arrays and moves GetElem results
// with legacy-SSE instructions.
func halves(v archsimd.Float64x8) (l [2]float64) {
	h := v.GetLo().Add(v.GetHi())
	h.GetLo().Add(h.GetHi()).Store(&l)
	archsimd.ClearAVXUpperBits()
	return l
}

// weightedDot32 is weightedDot for float32 rows.
func weightedDot32(a, b, w []float32) float64 {
	if !vector16 {
		return weightedDotScalar(a, b, w)
	}
	n := len(a) &^ 7
	var acc archsimd.Float64x8
	for i := 0; i < n; i += 8 {
		p := lanes8(a, i).Mul(lanes8(b, i))
		if w != nil {
			p = p.Mul(lanes8(w, i))
		}
		acc = acc.Add(p)
	}
	l := halves(acc)
	if w != nil {
		w = w[n:]
	}
	return l[0] + l[1] + weightedDotScalar(a[n:], b[n:len(a)], w)
}

// mulAffine32 is mulAffine for float32 rows.
func mulAffine32(y, x, g []float32, s, k float64) {
	if !vector16 {
		mulAffineScalar(y, x, g, s, k)
		return
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
	if g != nil {
		g = g[n:]
	}
	mulAffineScalar(y[n:len(x)], x[n:], g, s, k)
}

// axpby32 is axpbyRow for float32 rows, 16 lanes at a time.
func axpby32(y, x []float32, alpha, beta float32) {
	if !vector16 {
		axpbyScalar(y, x, alpha, beta)
		return
	}
	n := len(y) &^ 15
	av, bv := archsimd.BroadcastFloat32x16(alpha), archsimd.BroadcastFloat32x16(beta)
	for i := 0; i < n; i += 16 {
		yp := (*[16]float32)(y[i:])
		archsimd.LoadFloat32x16((*[16]float32)(x[i:])).MulAdd(av, archsimd.LoadFloat32x16(yp).Mul(bv)).Store(yp)
	}
	archsimd.ClearAVXUpperBits()
	axpbyScalar(y[n:], x[n:len(y)], alpha, beta)
}

// normBackwardRow32 is normBackwardRow for float32 rows.
func normBackwardRow32(dx, dy, x, g []float32, s, k float64) {
	if !vector16 {
		normBackwardRowScalar(dx, dy, x, g, s, k)
		return
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
	if g != nil {
		g = g[n:]
	}
	normBackwardRowScalar(dx[n:len(x)], dy[n:len(x)], x[n:], g, s, k)
}

// accumulate32 is accumulate for float32 rows.
func accumulate32(acc []float64, a, b []float32, s float64) {
	if !vector16 {
		accumulateScalar(acc, a, b, s)
		return
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
	if b != nil {
		b = b[n:]
	}
	accumulateScalar(acc[n:len(a)], a[n:], b, s)
}

// columnSums32 is columnSums for float32 rows: each 64 columns of the strip sum in eight
// registers of float64 lanes through a block of rows (row by row, acc would be loaded and
// stored for every row); the columns past the last 64 go row by row. Each block's scales
// are widened to float64 before its vector code (see halves: scalar float code between
// vector instructions stalls).
func columnSums32(acc []float64, a, b, scale []float32, rows, stride int) {
	w := len(acc)
	if !vector16 || w < 64 {
		columnSumsScalar(acc, a, b, scale, rows, stride)
		return
	}
	const blockRows = 32
	var sc [blockRows + 1]float64 // +1: each row's scale loads as a pair
	for r0 := 0; r0 < rows; r0 += blockRows {
		n := min(blockRows, rows-r0)
		for i := range n {
			sc[i] = gainAt(scale, r0+i)
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
	if c0 := w &^ 63; c0 < w {
		var tb []float32
		if b != nil {
			tb = b[c0:]
		}
		columnSumsScalar(acc[c0:], a[c0:], tb, scale, rows, stride)
	}
}

// columnTerm is a[i:i+8] (times b[i:i+8] when b is not nil) in float64 lanes.
func columnTerm(a, b []float32, i int) archsimd.Float64x8 {
	p := lanes8(a, i)
	if b != nil {
		p = p.Mul(lanes8(b, i))
	}
	return p
}

// maxOf is the largest of m and the elements of row, NaN if any is NaN. row: [n].
func maxOf(row []float32, m float32) float32 {
	if !vector16 || len(row) < 16 {
		return maxOfScalar(row, m)
	}
	n := len(row) &^ 15
	mv := archsimd.BroadcastFloat32x16(m)
	// VMAXPS drops a NaN operand, so zeros sums v−v: 0, or NaN where v is NaN or ±Inf,
	// and a row with NaN there is left to the scalar loop. (Not a NaN mask: the compiler
	// moves its reload past VZEROUPPER, and the scalar code after it then stalls.)
	var zeros archsimd.Float32x16
	for j := 0; j < n; j += 16 {
		v := archsimd.LoadFloat32x16((*[16]float32)(row[j:]))
		mv = mv.Max(v)
		zeros = zeros.Add(v.Sub(v))
	}
	h, hz := mv.GetLo().Max(mv.GetHi()), zeros.GetLo().Add(zeros.GetHi())
	var l, z [4]float32
	h.GetLo().Max(h.GetHi()).Store(&l) // not GetElem: see halves
	hz.GetLo().Add(hz.GetHi()).Store(&z)
	archsimd.ClearAVXUpperBits()
	if z != [4]float32{} {
		return maxOfScalar(row, m)
	}
	return maxOfScalar(l[:], maxOfScalar(row[n:], m))
}

// scaleRow multiplies row by s in float32. row: [n].
func scaleRow(row []float32, s float32) {
	if !vector16 {
		scaleRowScalar(row, s)
		return
	}
	n := len(row) &^ 15
	sv := archsimd.BroadcastFloat32x16(s)
	for j := 0; j < n; j += 16 {
		v := (*[16]float32)(row[j:])
		archsimd.LoadFloat32x16(v).Mul(sv).Store(v)
	}
	archsimd.ClearAVXUpperBits()
	scaleRowScalar(row[n:], s)
}
