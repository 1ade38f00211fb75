//go:build !(goexperiment.simd && amd64)

package fast

// The register tile of the blocked kernel: gemmMR rows by gemmNR columns of the output.
// Scalar Go keeps about a dozen float32 values in registers on amd64 (X0–X14); 2×4
// accumulators plus the two a and four b values of one k step fit without spilling, where
// 4×4 or 3×4 tiles spill and run slower.
const (
	gemmMR = 2
	gemmNR = 4
)

// gemmTile names the register tile: scalar Go, as WebAssembly and builds without the
// simd experiment run it.
func gemmTile() string { return "2×4 scalar tile" }

// microKernel returns the gemmMR×gemmNR tile Σ_k pa[k]ᵀ·pb[k] of one packed A panel and one
// packed B panel, row-major. pa: [kc, gemmMR]; pb: [kc, gemmNR].
func microKernel(kc int, pa, pb []float32) [gemmMR * gemmNR]float32 {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	pa, pb = pa[:gemmMR*kc], pb[:gemmNR*kc]
	for k := range kc {
		a := pa[gemmMR*k : gemmMR*k+gemmMR : gemmMR*k+gemmMR]
		b := pb[gemmNR*k : gemmNR*k+gemmNR : gemmNR*k+gemmNR]
		a0, a1 := a[0], a[1]
		c00 += a0 * b[0]
		c01 += a0 * b[1]
		c02 += a0 * b[2]
		c03 += a0 * b[3]
		c10 += a1 * b[0]
		c11 += a1 * b[1]
		c12 += a1 * b[2]
		c13 += a1 * b[3]
	}
	return [gemmMR * gemmNR]float32{c00, c01, c02, c03, c10, c11, c12, c13}
}
