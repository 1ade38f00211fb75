package opcheck

import (
	"fmt"
	"math"

	"flowsphere/model/tensor"
)

// The Muon hyperparameters of every case: momentum, learning rate and decay (lr × wd).
const muonMu, muonLR, muonDecay = 0.95, 0.02, 2e-3

// muonSizes cover one element, a size that is no multiple of the workgroup and a million.
var muonSizes = []int{1, 1000, 1<<20 + 3}

// muonTol bounds k steps of values up to about 1/(1−μ) = 20 times a unit gradient, where
// each multiply-add may be fused on the device: an ulp or two of the largest term per step.
func muonTol(steps int) Tol {
	k := float64(steps)
	return Tol{Abs: k * 4 * 20 * 6 * f32ulp, Rel: k * 4 * f32ulp,
		Why: "per step, μ·buf + ĝ and ĝ + μ·buf (terms up to 20·|g|, |g| ≤ 6) may be fused into FMAs on the device"}
}

// muonCases is the muon family's part of the table: the momentum step (several steps, with
// and without a clip scale) and the parameter step, each also with a non-finite gradient's
// flag, which must leave every tensor as it was.
func muonCases() []Case {
	var cases []Case
	for _, n := range muonSizes {
		for _, c := range []struct {
			steps int
			clip  float32
		}{{1, 1}, {3, 0.37}} {
			cases = append(cases, Case{"muon", "forward", fmt.Sprintf("momentum n=%d, %d steps, clip scale %g", n, c.steps, c.clip), func(h *Harness) {
				u, mom := h.Output(nil, n), h.Output(h.Normal(n, 0.5), n)
				scale := h.From([]float32{c.clip, 1}, 2)
				for range c.steps {
					g := h.Input(1, n)
					h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
						b.MuonMomentum(t(u), t(mom), t(g), t(scale), n, muonMu)
					})
				}
				h.Check("u", u, muonTol(c.steps))
				h.Check("buf", mom, muonTol(c.steps))
			}})
		}
		cases = append(cases, Case{"muon", "forward", fmt.Sprintf("apply n=%d", n), func(h *Harness) {
			p, o := h.Output(h.Normal(n, 1), n), h.Input(0.05, n)
			scale := h.From([]float32{0.5, 1}, 2)
			h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
				b.MuonApply(t(p), t(o), t(scale), n, muonLR, muonDecay)
			})
			h.Check("p", p, Tol{Abs: 4 * 6 * f32ulp, Rel: 4 * f32ulp,
				Why: "p − lr·o − decay·p, |p| ≤ 6: two multiply-adds that may be fused, an ulp or two of p"})
		}})
		cases = append(cases, Case{"muon", "forward", fmt.Sprintf("momentum and apply n=%d: gradclip of a NaN gradient skips both", n), func(h *Harness) {
			muonSkip(h, n)
		}})
	}
	return cases
}

// muonSkip runs GradClip on a gradient with a NaN, then both Muon steps reading its flag,
// as a training step does: nothing may change.
func muonSkip(h *Harness, n int) {
	u0, b0, p0 := h.Normal(n, 1), h.Normal(n, 1), h.Normal(n, 1)
	u, mom, p := h.Output(u0, n), h.Output(b0, n), h.Output(p0, n)
	gv := h.Normal(n, 1)
	gv[n/2] = float32(math.NaN())
	g, o := h.From(gv, n), h.Input(1, n)
	scale := h.Output(nil, 2)
	h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
		b.GradClip(t(scale), t(g), n, 1)
		b.MuonMomentum(t(u), t(mom), t(g), t(scale), n, muonMu)
		b.MuonApply(t(p), t(o), t(scale), n, muonLR, muonDecay)
	})
	unchanged := Tol{Why: "a skipped step writes nothing"}
	h.CheckValues("u", u, u0, unchanged)
	h.CheckValues("buf", mom, b0, unchanged)
	h.CheckValues("p", p, p0, unchanged)
}
