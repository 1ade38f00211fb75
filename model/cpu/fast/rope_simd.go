//go:build goexperiment.simd && amd64

package fast

import "simd/archsimd"

// swapPairs permutes the lanes (0 1)(2 3)…(14 15): each element to its pair partner's
// place. An array, loaded after the AVX-512 check: a vector variable would be loaded when
// the package initialises, on every CPU.
var swapPairs = [16]uint32{1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14}

// RoPE rotates the (batch, token) rows [lo, hi) of model/cpu's rope2D in float32 lanes with
// AVX-512, y = x·cosDup + swap(x)·sign·sinSigned (pairs: for each grid cell the cosines
// each written twice, c0 c0 c1 c1 …, then the sines with the sign of their pair element,
// −s0 s0 −s1 s1 …), and returns true; it returns false, doing nothing, without AVX-512 or
// when dh is not a multiple of 16.
// out, in: [batch·tokens, width] with width = heads·dh; pairs: [cells, 2, dh].
func RoPE(out, in, pairs []float32, lo, hi, tokens, width, dh, cells int, sign float32) bool {
	if !vector16 || dh%16 != 0 {
		return false
	}
	sv, swap := archsimd.BroadcastFloat32x16(sign), archsimd.LoadUint32x16(&swapPairs)
	for bt := lo; bt < hi; bt++ {
		cell := bt % tokens % cells
		cosDup, sinSigned := pairs[2*cell*dh:][:dh], pairs[(2*cell+1)*dh:][:dh]
		x, y := in[bt*width:][:width], out[bt*width:][:width]
		for h := 0; h < width; h += dh {
			for j := 0; j < dh; j += 16 {
				c := archsimd.LoadFloat32x16((*[16]float32)(cosDup[j:]))
				s := archsimd.LoadFloat32x16((*[16]float32)(sinSigned[j:])).Mul(sv)
				xv := archsimd.LoadFloat32x16((*[16]float32)(x[h+j:]))
				xv.Permute(swap).MulAdd(s, xv.Mul(c)).Store((*[16]float32)(y[h+j:]))
			}
		}
	}
	archsimd.ClearAVXUpperBits()
	return true
}
