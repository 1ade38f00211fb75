package opcheck

import (
	"fmt"
	"math"

	"flowsphere/model/tensor"
)

// normShape is one RMSNorm/Spherify case: rows × cols inputs of standard deviation scale,
// the first zeroRows rows all zero; with res, the backward adds a residual gradient.
type normShape struct {
	name       string
	rows, cols int
	scale      float64
	zeroRows   int
	res        bool
}

// input makes the shape's input.
func (s normShape) input(h *Harness) Pair {
	data := h.Normal(s.rows*s.cols, s.scale)
	clear(data[:s.zeroRows*s.cols])
	return h.From(data, s.rows, s.cols)
}

// label is the case name: the shape's name and its size.
func (s normShape) label(what string) string {
	return fmt.Sprintf("%s %s (%d x %d)", what, s.name, s.rows, s.cols)
}

// normEps is the eps of the RMSNorm cases, the model's.
const normEps = 1e-6

// Tolerances of the row-normalising kernels. The device sums squares in float32 (a few
// sequential adds per lane, then a tree over at most 256 lanes), the reference in float64.
var (
	rstdTol = Tol{Abs: 0, Rel: 2e-6, Why: "a float32 sum of positive squares over ≤ 10 levels of adds " +
		"(≤ 6e-7 relative), halved by the square root, plus the division"}
	normOutTol = Tol{Abs: 0, Rel: 3e-6, Why: "rstd's error times two float32 products; no cancellation"}
)

// dInTol is the tolerance of RMSNorm's dIn for inputs of standard deviation scale:
// dx = s·g·dy − x·s³/cols·Σ dy·g·x cancels, so the error is ~1e-6 of the terms' size s ≈ 1/scale.
func dInTol(scale float64) Tol {
	return Tol{Abs: 4e-6 / scale, Rel: 4e-6, Why: "two terms of size rstd ≈ 1/scale cancel; the row " +
		"sum Σ dy·g·x is float32 with ~10 levels of adds on the device"}
}

func rmsnormCases() []Case {
	var cases []Case
	for _, s := range []normShape{
		{name: "single value", rows: 1, cols: 1, scale: 1},
		{name: "single row", rows: 1, cols: 300, scale: 1},
		{name: "cols not a power of two", rows: 7, cols: 33, scale: 1},
		{name: "cols just over 128", rows: 5, cols: 129, scale: 1},
		{name: "16 rows per workgroup, ragged", rows: 37, cols: 16, scale: 1},
		{name: "inputs 1e4", rows: 4, cols: 300, scale: 1e4},
	} {
		cases = append(cases, rmsnormForward(s, true), rmsnormForward(s, false),
			rmsnormBackward(s, true), rmsnormBackward(s, false))
	}
	for _, s := range []normShape{
		{name: "dGain in one pass", rows: 1000, cols: 33, scale: 1},
		{name: "dGain in ragged row chunks past 8192 rows", rows: 10000, cols: 33, scale: 1},
		{name: "dGain chunk count capped", rows: 40000, cols: 32, scale: 1},
	} {
		cases = append(cases, rmsnormBackward(s, true))
	}
	for _, s := range []normShape{
		{name: "model rows B·T = 32·256 x E", rows: 8192, cols: 128, scale: 1},
		{name: "model rows B·T = 8·192 x E + residual", rows: 1536, cols: 128, scale: 1, res: true},
		{name: "odd + residual", rows: 7, cols: 33, scale: 1, res: true},
		{name: "QK-norm rows B·T·H = 32·192·4 x dh", rows: 24576, cols: 32, scale: 1},
	} {
		cases = append(cases, rmsnormForward(s, true), rmsnormBackward(s, true))
	}
	for _, s := range []normShape{
		{name: "single value", rows: 1, cols: 1, scale: 1},
		{name: "cols not a power of two", rows: 7, cols: 33, scale: 1},
		{name: "cols over 256", rows: 5, cols: 300, scale: 1},
		{name: "inputs 1e4", rows: 4, cols: 300, scale: 1e4},
		{name: "rms 1e-6, where eps matters", rows: 3, cols: 64, scale: 1e-6},
		{name: "zero rows", rows: 4, cols: 64, scale: 1, zeroRows: 2},
		{name: "latent batch 32 x L = 64·4", rows: 32, cols: 256, scale: 1},
		{name: "latent batch 32 x L = 64·16", rows: 32, cols: 1024, scale: 1},
	} {
		cases = append(cases, spherifyForward(s), spherifyBackward(s))
	}
	return cases
}

// gainInput is RMSNorm's gain for a case: around 1, as trained gains are.
func gainInput(h *Harness, s normShape) Pair {
	g := h.Normal(s.cols, 0.3)
	for i := range g {
		g[i]++
	}
	return h.From(g, s.cols)
}

func rmsnormForward(s normShape, withGain bool) Case {
	return Case{"rmsnorm", "forward", s.label(gainLabel(withGain)), func(h *Harness) {
		in := s.input(h)
		var gain *Pair
		if withGain {
			g := gainInput(h, s)
			gain = &g
		}
		out, rstd := h.Output(nil, s.rows, s.cols), h.Output(nil, s.rows)
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.RMSNorm(t(out), t(rstd), t(in), Opt(t, gain), s.rows, s.cols, normEps)
		})
		h.Check("rstd", rstd, rstdTol)
		h.Check("out", out, normOutTol)
	}}
}

func rmsnormBackward(s normShape, withGain bool) Case {
	return Case{"rmsnorm", "backward", s.label(gainLabel(withGain)), func(h *Harness) {
		in, dOut := s.input(h), h.Input(1, s.rows, s.cols)
		var gain, dGain, dRes *Pair
		if s.res {
			r := h.Input(1, s.rows, s.cols)
			dRes = &r
		}
		if withGain {
			g := gainInput(h, s)
			// dGain accumulates: start it from values it must add to.
			dg := h.Output(h.Normal(s.cols, 1), s.cols)
			gain, dGain = &g, &dg
		}
		out, rstd := h.Output(nil, s.rows, s.cols), h.Output(nil, s.rows)
		dIn := h.Output(h.Normal(s.rows*s.cols, 1), s.rows, s.cols)
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.RMSNorm(t(out), t(rstd), t(in), Opt(t, gain), s.rows, s.cols, normEps)
			b.RMSNormBackward(t(dIn), Opt(t, dGain), t(dOut), Opt(t, dRes), t(in), Opt(t, gain), t(rstd), s.rows, s.cols)
		})
		h.Check("dIn", dIn, dInTol(s.scale))
		if withGain {
			h.Check("dGain", *dGain, Tol{Abs: 4e-6 * math.Sqrt(float64(s.rows)), Rel: 1e-5,
				Why: "a float32 sum over rows of O(1) terms on the device: rounding errors add up " +
					"like a random walk, ~1e-7·sqrt(rows); one wrong term is ~1"})
		}
	}}
}

// gainLabel names the gain variant.
func gainLabel(withGain bool) string {
	if withGain {
		return "gain"
	}
	return "no gain"
}

func spherifyForward(s normShape) Case {
	return Case{"rmsnorm", "forward", s.label("spherify"), func(h *Harness) {
		in := s.input(h)
		out, rstd := h.Output(nil, s.rows, s.cols), h.Output(nil, s.rows)
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.Spherify(t(out), t(rstd), t(in), s.rows, s.cols)
		})
		h.Check("rstd", rstd, rstdTol)
		h.Check("out", out, normOutTol)
	}}
}

func spherifyBackward(s normShape) Case {
	return Case{"rmsnorm", "backward", s.label("spherify"), func(h *Harness) {
		in, dOut := s.input(h), h.Input(1, s.rows, s.cols)
		out, rstd := h.Output(nil, s.rows, s.cols), h.Output(nil, s.rows)
		dIn := h.Output(h.Normal(s.rows*s.cols, 1), s.rows, s.cols)
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.Spherify(t(out), t(rstd), t(in), s.rows, s.cols)
			b.SpherifyBackward(t(dIn), t(dOut), t(in), t(rstd), s.rows, s.cols)
		})
		h.Check("dIn", dIn, dInTol(s.scale))
	}}
}
