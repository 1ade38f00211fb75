package opcheck

import (
	"fmt"

	"flowsphere/model/tensor"
)

// actNames labels the activations in case names.
var actNames = map[tensor.Activation]string{tensor.SiLU: "silu", tensor.GELU: "gelu"}

// Tolerances of the act family. The device evaluates exp in float32 (WGSL allows 3 + 2·|x|
// ulps; its relative error moves sigmoid by about as much), the reference in float64.
var (
	actTol = Tol{Abs: 1e-6, Rel: 1e-5, Why: "float32 exp inside the sigmoid (WGSL: 3 + 2|x| ulps) " +
		"and a few float32 products; Abs covers values near the zeros of f and f'"}
	actGradTol = Tol{Abs: 2e-6, Rel: 1e-5, Why: "as the forward, and f' = s·(1 + x·(1−s)·…) cancels " +
		"near its zero (x ≈ −1.28 for SiLU), leaving ~ulp·|x| absolute error"}
)

// actInput draws n inputs: Gaussian of standard deviation scale, or uniform in
// [−30, 30] when scale is 0, where the sigmoid saturates.
func actInput(h *Harness, n int, scale float64, shape ...int) Pair {
	if scale == 0 {
		return h.From(h.Uniform(n, -30, 30), shape...)
	}
	return h.Input(scale, shape...)
}

// scaleName describes an actInput scale.
func scaleName(scale float64) string {
	if scale == 0 {
		return "inputs in ±30"
	}
	return fmt.Sprintf("inputs σ=%g", scale)
}

func actCases() []Case {
	var cases []Case
	for _, f := range []tensor.Activation{tensor.SiLU, tensor.GELU} {
		for _, s := range []struct {
			n     int
			scale float64
		}{{1, 1}, {255, 1}, {257, 3}, {5000, 0}, {2048 * 344, 1}} {
			name := fmt.Sprintf("%s n=%d %s", actNames[f], s.n, scaleName(s.scale))
			cases = append(cases,
				Case{"act", "forward", name, func(h *Harness) {
					in, out := actInput(h, s.n, s.scale, s.n), h.Output(nil, s.n)
					h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.Act(t(out), t(in), s.n, f) })
					h.Check("out", out, actTol)
				}},
				Case{"act", "backward", name, func(h *Harness) {
					in, dOut := actInput(h, s.n, s.scale, s.n), h.Input(1, s.n)
					dIn := h.Output(h.Normal(s.n, 1), s.n)
					h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
						b.ActBackward(t(dIn), t(dOut), t(in), s.n, f)
					})
					h.Check("dIn", dIn, actGradTol)
				}},
			)
		}
	}
	for _, s := range []struct {
		rows, f int
		scale   float64
		what    string
	}{
		{1, 1, 1, "single value"},
		{3, 33, 1, "F not a multiple of anything"},
		{5, 129, 0, "saturated"},
		{2048, 344, 1, "model MLP rows 2048 x hidden 344"},
	} {
		name := fmt.Sprintf("%s rows=%d F=%d %s", s.what, s.rows, s.f, scaleName(s.scale))
		cases = append(cases,
			Case{"act", "forward", "swiglu " + name, func(h *Harness) {
				in, out := actInput(h, 2*s.rows*s.f, s.scale, s.rows, 2*s.f), h.Output(nil, s.rows, s.f)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.SwiGLU(t(out), t(in), s.rows, s.f) })
				h.Check("out", out, actTol)
			}},
			Case{"act", "backward", "swiglu " + name, func(h *Harness) {
				in, dOut := actInput(h, 2*s.rows*s.f, s.scale, s.rows, 2*s.f), h.Input(1, s.rows, s.f)
				dIn := h.Output(h.Normal(2*s.rows*s.f, 1), s.rows, 2*s.f)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
					b.SwiGLUBackward(t(dIn), t(dOut), t(in), s.rows, s.f)
				})
				h.Check("dIn", dIn, actGradTol)
			}},
		)
	}
	return cases
}
