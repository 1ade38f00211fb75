package opcheck

import "flowsphere/model/tensor"

// exact is the tolerance of ops that copy or do one rounding per element the same way.
var exact = Tol{Abs: 0, Rel: 1e-6, Why: "one float32 operation per element; fused multiply-add may differ by an ulp"}

func elementwiseCases() []Case {
	var cases []Case
	for _, n := range []int{1, 255, 257, 70000} {
		cases = append(cases,
			Case{"elementwise", "forward", sizeName("fill n=", n), func(h *Harness) {
				out := h.Output(h.Normal(n, 1), n)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.Fill(t(out), 0.5) })
				h.Check("out", out, exact)
			}},
			Case{"elementwise", "forward", sizeName("axpby n=", n), func(h *Harness) {
				x, y := h.Input(1e4, n), h.Output(h.Normal(n, 1), n)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.Axpby(t(y), t(x), 0.3, -1.7) })
				h.Check("y", y, Tol{Abs: 1e-6, Rel: 1e-6, Why: "two products and a sum in float32"})
			}},
		)
	}
	cases = append(cases,
		Case{"elementwise", "forward", "rowaxpby 7x33", func(h *Harness) {
			x, alpha, beta := h.Input(1, 7, 33), h.Input(1, 7), h.Input(1, 7)
			y := h.Output(h.Normal(7*33, 1), 7, 33)
			h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.RowAxpby(t(y), t(x), t(alpha), t(beta), 7, 33) })
			h.Check("y", y, Tol{Abs: 1e-6, Rel: 1e-6, Why: "two products and a sum in float32"})
		}},
		Case{"elementwise", "forward", "copy2d segment into 3 x 5 rows", func(h *Harness) {
			src := h.Input(1, 5, 7)
			dst := h.Output(h.Normal(3*5*9, 1), 3*5*9)
			h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
				b.Copy2D(t(dst), t(src), 5, 7, 9+1, 9, 0, 7, false)
			})
			h.Check("dst", dst, exact)
		}},
		Case{"elementwise", "backward", "copy2d accumulate split", func(h *Harness) {
			src := h.Input(1, 4, 12)
			dst := h.Output(h.Normal(4*5, 1), 4, 5)
			h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.Copy2D(t(dst), t(src), 4, 5, 0, 5, 3, 12, true) })
			h.Check("dst", dst, exact)
		}},
		Case{"elementwise", "forward", "addbroadcast 3x65", func(h *Harness) {
			x := h.Input(1, 65)
			y := h.Output(h.Normal(3*65, 1), 3, 65)
			h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.AddBroadcast(t(y), t(x), 3, 65) })
			h.Check("y", y, exact)
		}},
	)
	return cases
}
