package opcheck

import (
	"fmt"

	"flowsphere/model/tensor"
)

// rngStreams are the (n, seed, counter) of the rng cases: sizes below, at and past one block
// of four, seeds and counters with high words set, and a million-element fill.
var rngStreams = []struct {
	n             int
	seed, counter uint64
}{
	{1, 1, 0},
	{3, 1, 5},
	{4, 2, 7},
	{1000, 0x9e3779b97f4a7c15, 1<<32 + 3},
	{1<<20 + 1, 2, 11},
}

// rngTols are the tolerances of each distribution. Normal draws run the same float32 steps
// on both backends (no built-in log or cos), so they differ only where a device fuses
// multiply-adds or rounds sqrt and division less exactly than IEEE (WGSL allows a few ulp).
var rngTols = map[tensor.Distribution]Tol{
	tensor.Uniform: {Why: "integer Philox and an exact int-to-float map: bit-identical"},
	tensor.Normal: {Abs: 4 * 6 * f32ulp, Rel: 16 * f32ulp,
		Why: "same float32 steps; fused multiply-adds move cos/sin by an ulp or two (times r ≤ 5.8), inexact sqrt and division move r by a few ulp"},
}

// philoxKAT0 is Random123's Philox4x32-10 known answer for counter 0 and key 0: block 0 of
// the stream (seed 0, counter 0).
var philoxKAT0 = [4]uint32{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}

// rngCases is the rng family's part of the table: both distributions on every stream and a
// known answer. Rand has no backward pass, so every case is a forward case.
func rngCases() []Case {
	var cases []Case
	for _, d := range []tensor.Distribution{tensor.Uniform, tensor.Normal} {
		for _, s := range rngStreams {
			name := fmt.Sprintf("%s n=%d seed=%#x counter=%#x", rngName(d), s.n, s.seed, s.counter)
			cases = append(cases, Case{"rng", "forward", name, func(h *Harness) {
				out := h.Output(nil, s.n)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.Rand(t(out), s.n, s.seed, s.counter, d) })
				h.Check("out", out, rngTols[d])
			}})
		}
	}
	cases = append(cases, Case{"rng", "forward", "uniform known answer (Random123 counter 0, key 0)", func(h *Harness) {
		out := h.Output(nil, 4)
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.Rand(t(out), 4, 0, 0, tensor.Uniform) })
		want := make([]float32, 4)
		for i, w := range philoxKAT0 {
			want[i] = float32(w>>8) * 0x1p-24
		}
		h.CheckValues("out", out, want, rngTols[tensor.Uniform])
	}})
	return cases
}

// rngName names a distribution in case names.
func rngName(d tensor.Distribution) string {
	if d == tensor.Normal {
		return "normal"
	}
	return "uniform"
}
