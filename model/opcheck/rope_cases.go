package opcheck

import (
	"math"

	"flowsphere/model/tensor"
)

// ropeShape is one RoPE2D case: x: [batch, tokens, heads, dh] on a gridH×gridW grid.
type ropeShape struct {
	name                     string
	batch, tokens, heads, dh int
	gridH, gridW             int
	base                     float32
	x                        float64 // standard deviation of the input
}

// ropeShapes cover one token on a 1×1 grid, a pair count that does not fill the 256-thread
// workgroup, repeated segments on a non-square grid, inputs ~1e4 and the model's 8×8 grid
// with 3 segments.
var ropeShapes = []ropeShape{
	{"T=1 heads=1 dh=4 grid 1x1", 1, 1, 1, 4, 1, 1, 10000, 1},
	{"T=13 = 2 segments of 2x3 + 1, heads=3 dh=8 base 100", 2, 13, 3, 8, 2, 3, 100, 1},
	{"large x~1e4 T=20 grid 4x5 dh=16", 1, 20, 2, 16, 4, 5, 10000, 1e4},
	{"model B=32 T=192 = 3 segments of 8x8, H=4 dh=32", 32, 192, 4, 32, 8, 8, 10000, 1},
}

// ropeCases is the rope family's part of the table: RoPE2D forward, and inverse as its
// backward.
func ropeCases() []Case {
	var cases []Case
	for _, c := range ropeShapes {
		shape := []int{c.batch, c.tokens, c.heads, c.dh}
		tol := Tol{Abs: math.Ldexp(1, -11) * 2 * 5 * c.x, Rel: 1e-6,
			Why: "WGSL promises sin and cos only to 2^-11 absolute on [-π, π] (SwiftShader uses that: ~2e-5 here), so " +
				"x·cos − y·sin may be off by 2^-11·(|x|+|y|), with |x|, |y| up to 5σ of the input; a wrong angle or index errs by O(σ)"}
		for _, inverse := range []bool{false, true} {
			pass := map[bool]string{false: "forward", true: "backward"}[inverse]
			cases = append(cases, Case{"rope", pass, c.name, func(h *Harness) {
				x := h.Input(c.x, shape...)
				out := h.Output(nil, shape...)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
					b.RoPE2D(t(out), t(x), c.batch, c.tokens, c.heads, c.dh, c.gridH, c.gridW, c.base, inverse)
				})
				h.Check("out", out, tol)
			}})
		}
	}
	return cases
}
