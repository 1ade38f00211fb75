//go:build goexperiment.simd && amd64

package fast

import "simd/archsimd"

// The register tile of the blocked kernel with vector instructions: gemmMR rows by gemmNR
// columns. With AVX-512 a row is two 16-lane vectors: 8 accumulators, two B vectors and a
// broadcast A value in 32 registers (a 6-row tile measured slower: the compiler copies
// accumulators around its fused multiply-adds). Without AVX-512 the tile runs as two
// 16-column halves of 8-lane vectors, each fitting the 16 AVX registers.
const (
	gemmMR = 4
	gemmNR = 32
)

// The kernels the CPU runs, chosen once.
var (
	vector16 = archsimd.X86.AVX512()
	vector8  = archsimd.X86.AVX2() && archsimd.X86.FMA()
)

// gemmTile names the register tile and the instructions it runs on.
func gemmTile() string {
	switch {
	case vector16:
		return "4×32 AVX-512 tile"
	case vector8:
		return "4×32 AVX2 tile"
	}
	return "4×32 scalar tile"
}

// microKernel returns the gemmMR×gemmNR tile Σ_k pa[k]ᵀ·pb[k] of one packed A panel and one
// packed B panel, row-major. pa: [kc, gemmMR]; pb: [kc, gemmNR].
func microKernel(kc int, pa, pb []float32) (tile [gemmMR * gemmNR]float32) {
	pa, pb = pa[:gemmMR*kc], pb[:gemmNR*kc]
	switch {
	case vector16:
		microKernel16(&tile, pa, pb)
		// Scalar Go and assembly such as math.Exp use legacy SSE encodings, which run
		// several times slower while the vector registers' upper halves hold data.
		archsimd.ClearAVXUpperBits()
	case vector8:
		microKernel8(&tile, pa, pb, 0)
		microKernel8(&tile, pa, pb, gemmNR/2)
		archsimd.ClearAVXUpperBits()
	default:
		for k := range kc {
			for r, a := range pa[gemmMR*k : gemmMR*k+gemmMR] {
				for j, b := range pb[gemmNR*k : gemmNR*k+gemmNR] {
					tile[r*gemmNR+j] += a * b
				}
			}
		}
	}
	return tile
}

// microKernel16 is microKernel on 16-lane vectors. The loop advances the panels instead of
// indexing them, which leaves it without bounds checks.
// pa: [kc, gemmMR]; pb: [kc, gemmNR].
func microKernel16(tile *[gemmMR * gemmNR]float32, pa, pb []float32) {
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x16
	for ; len(pb) >= gemmNR && len(pa) >= gemmMR; pa, pb = pa[gemmMR:], pb[gemmNR:] {
		b := (*[gemmNR]float32)(pb)
		b0, b1 := archsimd.LoadFloat32x16((*[16]float32)(b[:16])), archsimd.LoadFloat32x16((*[16]float32)(b[16:]))
		a := (*[gemmMR]float32)(pa)
		// One broadcast per product: the fused multiply-add overwrites its receiver.
		c00 = archsimd.BroadcastFloat32x16(a[0]).MulAdd(b0, c00)
		c01 = archsimd.BroadcastFloat32x16(a[0]).MulAdd(b1, c01)
		c10 = archsimd.BroadcastFloat32x16(a[1]).MulAdd(b0, c10)
		c11 = archsimd.BroadcastFloat32x16(a[1]).MulAdd(b1, c11)
		c20 = archsimd.BroadcastFloat32x16(a[2]).MulAdd(b0, c20)
		c21 = archsimd.BroadcastFloat32x16(a[2]).MulAdd(b1, c21)
		c30 = archsimd.BroadcastFloat32x16(a[3]).MulAdd(b0, c30)
		c31 = archsimd.BroadcastFloat32x16(a[3]).MulAdd(b1, c31)
	}
	c00.Store((*[16]float32)(tile[0*gemmNR:]))
	c01.Store((*[16]float32)(tile[0*gemmNR+16:]))
	c10.Store((*[16]float32)(tile[1*gemmNR:]))
	c11.Store((*[16]float32)(tile[1*gemmNR+16:]))
	c20.Store((*[16]float32)(tile[2*gemmNR:]))
	c21.Store((*[16]float32)(tile[2*gemmNR+16:]))
	c30.Store((*[16]float32)(tile[3*gemmNR:]))
	c31.Store((*[16]float32)(tile[3*gemmNR+16:]))
}

// microKernel8 is the 16 columns of microKernel from col0 on, on 8-lane vectors.
// pa: [kc, gemmMR]; pb: [kc, gemmNR].
func microKernel8(tile *[gemmMR * gemmNR]float32, pa, pb []float32, col0 int) {
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x8
	for ; len(pb) >= gemmNR && len(pa) >= gemmMR; pa, pb = pa[gemmMR:], pb[gemmNR:] {
		b := (*[16]float32)(pb[col0:])
		b0, b1 := archsimd.LoadFloat32x8((*[8]float32)(b[:8])), archsimd.LoadFloat32x8((*[8]float32)(b[8:]))
		a := (*[gemmMR]float32)(pa)
		c00 = archsimd.BroadcastFloat32x8(a[0]).MulAdd(b0, c00)
		c01 = archsimd.BroadcastFloat32x8(a[0]).MulAdd(b1, c01)
		c10 = archsimd.BroadcastFloat32x8(a[1]).MulAdd(b0, c10)
		c11 = archsimd.BroadcastFloat32x8(a[1]).MulAdd(b1, c11)
		c20 = archsimd.BroadcastFloat32x8(a[2]).MulAdd(b0, c20)
		c21 = archsimd.BroadcastFloat32x8(a[2]).MulAdd(b1, c21)
		c30 = archsimd.BroadcastFloat32x8(a[3]).MulAdd(b0, c30)
		c31 = archsimd.BroadcastFloat32x8(a[3]).MulAdd(b1, c31)
	}
	c00.Store((*[8]float32)(tile[0*gemmNR+col0:]))
	c01.Store((*[8]float32)(tile[0*gemmNR+col0+8:]))
	c10.Store((*[8]float32)(tile[1*gemmNR+col0:]))
	c11.Store((*[8]float32)(tile[1*gemmNR+col0+8:]))
	c20.Store((*[8]float32)(tile[2*gemmNR+col0:]))
	c21.Store((*[8]float32)(tile[2*gemmNR+col0+8:]))
	c30.Store((*[8]float32)(tile[3*gemmNR+col0:]))
	c31.Store((*[8]float32)(tile[3*gemmNR+col0+8:]))
}
