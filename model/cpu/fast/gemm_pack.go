package fast

// packPanels copies rows [r0, r0+n) × depths [k0, k0+kc) of a matrix X into dst as panels of
// width rows, each depth-major: dst[(p·kc + k)·width + r] = X[r0 + p·width + r, k0 + k], with
// rows past n zero. X is rows×depth, stored row-major in src, or depth×rows (its transpose)
// when transposed. The blocked kernel packs op(A) (M×K) this way and op(B)ᵀ (N×K), so one
// function serves both operands and all three layouts.
// dst: [ceil(n/width)·kc·width]; src: [rows, depth] or [depth, rows].
func packPanels(dst, src []float32, rows, depth int, transposed bool, width, r0, n, k0, kc int) {
	for p := 0; p*width < n; p++ {
		panel := dst[p*kc*width:][:kc*width]
		live, first := min(width, n-p*width), r0+p*width
		if live < width {
			clear(panel)
		}
		if transposed {
			for k := range kc {
				for r, v := range src[(k0+k)*rows+first:][:live] {
					panel[k*width+r] = v
				}
			}
			continue
		}
		for r := range live {
			for k, v := range src[(first+r)*depth+k0:][:kc] {
				panel[k*width+r] = v
			}
		}
	}
}
