//go:build goexperiment.simd && amd64

package fast

import "simd/archsimd"

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
	archsimd.ClearAVXUpperBits() // see halves
	sum := expAffineScalar(row[n:], scale, shift)
	for _, v := range lanes {
		sum += v
	}
	return sum
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
