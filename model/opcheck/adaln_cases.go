package opcheck

import (
	"fmt"
	"math"

	"flowsphere/model/tensor"
)

// adalnShape is one adaLN case: activations [batch, tokens, c] of standard deviation scale
// and mod: [batch, 6c] holding shift1, scale1, gate1, shift2, scale2, gate2 as the refiner's
// blocks do; set picks the first or the second triple.
type adalnShape struct {
	name             string
	batch, tokens, c int
	scale            float64
	set              int
}

func (s adalnShape) m() int     { return 6 * s.c }
func (s adalnShape) shift() int { return 3 * s.set * s.c }
func (s adalnShape) mul() int   { return (3*s.set + 1) * s.c }
func (s adalnShape) gate() int  { return (3*s.set + 2) * s.c }
func (s adalnShape) n() int     { return s.batch * s.tokens * s.c }

func (s adalnShape) label() string {
	return fmt.Sprintf("%s (batch %d, tokens %d, c %d, chunk set %d)", s.name, s.batch, s.tokens, s.c, s.set)
}

// tokenSumTol is the tolerance of per-batch sums over tokens of products of size scale:
// the device adds them in float32 (a few per lane, then a tree), the reference in float64,
// and the rounding errors add up like a random walk.
func tokenSumTol(tokens int, scale float64) Tol {
	return Tol{Abs: 4e-6 * math.Sqrt(float64(tokens)) * scale, Rel: 1e-5,
		Why: "float32 sum over tokens: ~1e-7·sqrt(tokens)·term size; one wrong term is ~term size"}
}

// gradScaleTol is the tolerance of a gradient that is one product, dX·gate: two float32
// roundings against one.
var gradScaleTol = Tol{Abs: 0, Rel: 1e-6, Why: "one or two float32 roundings of a product, no cancellation"}

func adalnCases() []Case {
	var cases []Case
	for _, s := range []adalnShape{
		{name: "single value", batch: 1, tokens: 1, c: 1, scale: 1},
		{name: "c not a multiple of the strip", batch: 3, tokens: 5, c: 33, scale: 1, set: 1},
		{name: "c just over 128, ragged token lanes", batch: 2, tokens: 7, c: 129, scale: 1},
		{name: "many tokens per lane", batch: 2, tokens: 300, c: 40, scale: 1, set: 1},
		{name: "inputs 1e4", batch: 2, tokens: 9, c: 300, scale: 1e4},
		{name: "refiner final layer on the image tokens", batch: 32, tokens: 64, c: 128, scale: 1},
		{name: "refiner batch 32 x 3 segments of 64 tokens x E", batch: 32, tokens: 192, c: 128, scale: 1, set: 1},
	} {
		cases = append(cases, normModulateForward(s), normModulateBackward(s), gateForward(s), gateBackward(s))
	}
	return cases
}

// modInput is the adaLN modulation: the output of a zero-initialised linear layer grows
// from 0, so N(0, 0.5) covers its working range, 1 + scale near 0 included.
func modInput(h *Harness, s adalnShape) Pair { return h.Input(0.5, s.batch, s.m()) }

// normModulateForward checks NormModulate (an rmsnorm op whose cases share adaLN's shapes).
func normModulateForward(s adalnShape) Case {
	return Case{"rmsnorm", "forward", "normmodulate " + s.label(), func(h *Harness) {
		in, mod := h.Input(s.scale, s.batch, s.tokens, s.c), modInput(h, s)
		out, rstd := h.Output(nil, s.batch, s.tokens, s.c), h.Output(nil, s.batch*s.tokens)
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.NormModulate(t(out), t(rstd), t(in), t(mod), s.batch, s.tokens, s.c, s.m(), s.shift(), s.mul(), normEps)
		})
		h.Check("rstd", rstd, rstdTol)
		h.Check("out", out, Tol{Abs: 2e-6, Rel: 4e-6,
			Why: "the normalised n ≈ 1 carries rstd's error, then n·(1 + scale) + shift in float32: " +
				"(1 + scale) and the product round at ~6e-8 of |n|·|1 + scale| ≲ 4, and the shift may cancel it"})
	}}
}

// normModulateBackward checks NormModulateBackward with a residual gradient, into dMod whose
// other chunks must keep their values.
func normModulateBackward(s adalnShape) Case {
	return Case{"rmsnorm", "backward", "normmodulate " + s.label(), func(h *Harness) {
		in, mod, dOut := h.Input(s.scale, s.batch, s.tokens, s.c), modInput(h, s), h.Input(1, s.batch, s.tokens, s.c)
		dRes := h.Input(1, s.batch, s.tokens, s.c)
		out, rstd := h.Output(nil, s.batch, s.tokens, s.c), h.Output(nil, s.batch*s.tokens)
		dIn := h.Output(h.Normal(s.n(), 1), s.batch, s.tokens, s.c)
		dMod := h.Output(h.Normal(s.batch*s.m(), 1), s.batch, s.m())
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.NormModulate(t(out), t(rstd), t(in), t(mod), s.batch, s.tokens, s.c, s.m(), s.shift(), s.mul(), normEps)
			b.NormModulateBackward(t(dIn), t(dMod), t(dOut), t(dRes), t(in), t(mod), t(rstd), s.batch, s.tokens, s.c, s.m(), s.shift(), s.mul())
		})
		h.Check("dIn", dIn, dInTol(s.scale))
		h.Check("dMod", dMod, tokenSumTol(s.tokens, 1))
	}}
}

func gateForward(s adalnShape) Case {
	return Case{"adaln", "forward", "gateresidual " + s.label(), func(h *Harness) {
		x, y, mod := h.Input(s.scale, s.batch, s.tokens, s.c), h.Input(s.scale, s.batch, s.tokens, s.c), modInput(h, s)
		out := h.Output(nil, s.batch, s.tokens, s.c)
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.GateResidual(t(out), t(x), t(y), t(mod), s.batch, s.tokens, s.c, s.m(), s.gate())
		})
		h.Check("out", out, Tol{Abs: 5e-7 * s.scale, Rel: 1e-6,
			Why: "x + gate·y in float32: the product and the sum round at ~6e-8 of |x| + |gate·y| ≲ 6·scale"})
	}}
}

func gateBackward(s adalnShape) Case {
	return Case{"adaln", "backward", "gateresidual " + s.label(), func(h *Harness) {
		y, mod, dX := h.Input(s.scale, s.batch, s.tokens, s.c), modInput(h, s), h.Input(1, s.batch, s.tokens, s.c)
		dY := h.Output(h.Normal(s.n(), 1), s.batch, s.tokens, s.c)
		// Only the gate chunk may change.
		dMod := h.Output(h.Normal(s.batch*s.m(), 1), s.batch, s.m())
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.GateResidualBackward(t(dY), t(dMod), t(dX), t(y), t(mod), s.batch, s.tokens, s.c, s.m(), s.gate())
		})
		h.Check("dY", dY, gradScaleTol)
		h.Check("dMod", dMod, tokenSumTol(s.tokens, s.scale))
	}}
}
