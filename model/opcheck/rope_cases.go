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

// rotationTol is the tolerance of a rotation of values of standard deviation x.
func rotationTol(x float64) Tol {
	return Tol{Abs: math.Ldexp(1, -11) * 2 * 5 * x, Rel: 1e-6,
		Why: "WGSL promises sin and cos only to 2^-11 absolute on [-π, π] (SwiftShader uses that: ~2e-5 here), so " +
			"x·cos − y·sin may be off by 2^-11·(|x|+|y|), with |x|, |y| up to 5σ of the input; a wrong angle or index errs by O(σ)"}
}

// ropeCases is the rope family's part of the table: RoPE2D forward, and inverse as its
// backward; QKNormRoPE and its backward.
func ropeCases() []Case {
	var cases []Case
	for _, c := range ropeShapes {
		shape := []int{c.batch, c.tokens, c.heads, c.dh}
		tol := rotationTol(c.x)
		for _, inverse := range []bool{false, true} {
			pass := map[bool]string{false: "forward", true: "backward"}[inverse]
			cases = append(cases, Case{"rope", pass, "rope2d " + c.name, func(h *Harness) {
				x := h.Input(c.x, shape...)
				out := h.Output(nil, shape...)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
					b.RoPE2D(t(out), t(x), c.batch, c.tokens, c.heads, c.dh, c.gridH, c.gridW, c.base, inverse)
				})
				h.Check("out", out, tol)
			}})
		}
	}
	for _, c := range ropeShapes {
		cases = append(cases, qkNormCase(c, false), qkNormCase(c, true))
	}
	return cases
}

// qkNormCase checks QKNormRoPE, or its backward, on a packed projection of standard
// deviation c.x with c's heads and grid and gains around 1.
func qkNormCase(c ropeShape, backward bool) Case {
	pass := map[bool]string{false: "forward", true: "backward"}[backward]
	return Case{"rope", pass, "qknorm " + c.name, func(h *Harness) {
		rows, e := c.batch*c.tokens, c.heads*c.dh
		qkv := h.Input(c.x, rows, 3*e)
		gains := [2]Pair{}
		for i := range gains {
			g := h.Normal(c.dh, 0.3)
			for j := range g {
				g[j]++
			}
			gains[i] = h.From(g, c.dh)
		}
		qkvh, rstd := h.Output(nil, 3, rows, e), h.Output(nil, 2, rows*c.heads)
		if !backward {
			h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
				b.QKNormRoPE(t(qkvh), t(rstd), t(qkv), t(gains[0]), t(gains[1]), c.batch, c.tokens, c.heads, c.dh, c.gridH, c.gridW, c.base, normEps)
			})
			h.Check("rstd", rstd, rstdTol)
			h.Check("qkvh", qkvh, rotationTol(1.3))
			return
		}
		dqkvh := h.Input(1, 3, rows, e)
		dqkv := h.Output(h.Normal(rows*3*e, 1), rows, 3*e)
		// The gain gradients accumulate: start them from values they must add to.
		dgq, dgk := h.Output(h.Normal(c.dh, 1), c.dh), h.Output(h.Normal(c.dh, 1), c.dh)
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.QKNormRoPE(t(qkvh), t(rstd), t(qkv), t(gains[0]), t(gains[1]), c.batch, c.tokens, c.heads, c.dh, c.gridH, c.gridW, c.base, normEps)
			b.QKNormRoPEBackward(t(dqkv), t(dgq), t(dgk), t(dqkvh), t(qkv), t(gains[0]), t(gains[1]), t(rstd), c.batch, c.tokens, c.heads, c.dh, c.gridH, c.gridW, c.base)
		})
		rot := rotationTol(1.3 / c.x)
		h.Check("dqkv", dqkv, Tol{Abs: rot.Abs + dInTol(c.x).Abs, Rel: 4e-6,
			Why: "the gradient rotated back with sin and cos of the device (" + rot.Why + ") times rstd ≈ 1/x, then " +
				"RMSNorm's backward: " + dInTol(c.x).Why})
		sum := math.Sqrt(float64(rows * c.heads * c.dh))
		h.Check("dgq", dgq, Tol{Abs: (math.Ldexp(1, -11)*10 + 4e-6) * sum, Rel: 1e-5,
			Why: "a float32 sum over rows and heads of terms dy·x·rstd of size ~1, each off by the rotation's 2^-11·(|dy0|+|dy1|): " +
				"the errors add up like a random walk"})
		h.Check("dgk", dgk, Tol{Abs: (math.Ldexp(1, -11)*10 + 4e-6) * sum, Rel: 1e-5,
			Why: "as dgq"})
	}}
}
