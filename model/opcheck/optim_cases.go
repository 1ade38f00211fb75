package opcheck

import (
	"fmt"
	"math"

	"flowsphere/model/tensor"
)

// gradClipTol bounds the relative error of the clip scale: the device sums squares in f32,
// ⌈n/(1024·256)⌉ terms per invocation (1024 workgroups at most), then two 256-wide trees and
// up to 4 partials per invocation; sqrt and the division add a few ulp. ×2 margin.
func gradClipTol(n int) Tol {
	perInvocation := (n + 1024*256 - 1) / (1024 * 256)
	return Tol{Rel: 2 * float64(perInvocation+30) * f32ulp,
		Why: "f32 sum of squares (strided, then two trees) against float64: (⌈n/262144⌉ + 30)·2^-24 relative, ×2 margin; the finite flag is exact"}
}

// gradClipCase describes one GradClip case: n Gaussian gradients of standard deviation
// scale, poisoned at index at with value bad when bad is not 0.
type gradClipCase struct {
	name    string
	n       int
	scale   float64
	maxNorm float32
	at      int
	bad     float32
	want    []float32 // exact scale where known: {1, 1} unclipped, {0, 0} not finite
}

// gradient makes the case's gradient values.
func (c gradClipCase) gradient(h *Harness) []float32 {
	g := h.Normal(c.n, c.scale)
	if c.bad != 0 {
		g[c.at] = c.bad
	}
	return g
}

// gradClipCases cover one element, sizes that do and do not fill the 1024 workgroups, large
// magnitudes, the model's parameter count and non-finite gradients.
var gradClipCases = []gradClipCase{
	{name: "n=1 clipped", n: 1, scale: 1, maxNorm: 1e-3},
	{name: "n=1000 norm below maxNorm (scale 1)", n: 1000, scale: 0.01, maxNorm: 10, want: []float32{1, 1}},
	{name: "n=257 clipped, not a multiple of the workgroup", n: 257, scale: 1, maxNorm: 1},
	{name: "n=70000 magnitudes 1e4", n: 70000, scale: 1e4, maxNorm: 1},
	{name: "n=1048579 clipped", n: 1<<20 + 3, scale: 1, maxNorm: 1},
	{name: "n=5000000 model-sized", n: 5000000, scale: 1e-3, maxNorm: 1},
	{name: "n=1000 +Inf in g", n: 1000, scale: 1, maxNorm: 1, at: 517, bad: float32(math.Inf(1)), want: []float32{0, 0}},
	{name: "n=1048579 NaN as the last element", n: 1<<20 + 3, scale: 1, maxNorm: 1, at: 1<<20 + 2, bad: float32(math.NaN()), want: []float32{0, 0}},
}

// The AdamW hyperparameters of every case.
const (
	adamLR, adamBeta1, adamBeta2, adamEps, adamWD = 1e-3, 0.9, 0.95, 1e-8, 0.1
)

// adamWCase describes one AdamW case: steps steps from zero moments on n parameters, each
// with fresh N(0, 1) gradients, scaled by a scale tensor {clip, 1} when clip is not 0.
type adamWCase struct {
	name  string
	n     int
	steps int
	clip  float32
}

// adamWCases cover one element, a size that is no multiple of the workgroup and a million
// elements, after one and after three steps, with and without a clip scale.
var adamWCases = []adamWCase{
	{"n=1 1 step", 1, 1, 0},
	{"n=1 3 steps", 1, 3, 0},
	{"n=1000 1 step clip scale 0.37", 1000, 1, 0.37},
	{"n=1000 3 steps", 1000, 3, 0},
	{"n=1048579 1 step", 1<<20 + 3, 1, 0},
	{"n=1048579 3 steps clip scale 0.5", 1<<20 + 3, 3, 0.5},
}

// adamWTols are the tolerances of p, m and v after steps steps with N(0, 1) gradients (below
// 6 in magnitude).
// ratio bounds |m̂/(sqrt(v̂)+eps)|: about 1 from zero moments, larger from given ones.
func adamWTols(steps int, ratio float64) (p, m, v Tol) {
	k := float64(steps)
	p = Tol{Abs: k * 16 * adamLR * f32ulp * ratio, Rel: k * 2 * f32ulp,
		Why: "per step, m̂/(sqrt(v̂)+eps) (at most ratio) may differ by a few ulp (WGSL sqrt and division are not correctly rounded; the CPU computes it in float64) scaled by lr, plus one rounding of p"}
	m = Tol{Abs: k * 4 * 6 * f32ulp, Rel: k * 2 * f32ulp,
		Why: "per step, β1·m + (1−β1)·g may be fused into an FMA on the device: an ulp of terms up to |g| ≤ 6"}
	v = Tol{Rel: k * 4 * f32ulp, Why: "per step, β2·v + (1−β2)·g² (non-negative terms) may be fused into an FMA: an ulp or two"}
	return p, m, v
}

// optimCases is the optim family's part of the table: GradClip and AdamW. Optimisers have no
// backward pass, so every case is a forward case.
func optimCases() []Case {
	var cases []Case
	for _, c := range gradClipCases {
		cases = append(cases, Case{"optim", "forward", "gradclip " + c.name, func(h *Harness) {
			g := h.From(c.gradient(h), c.n)
			scale := h.Output([]float32{-1, -1}, 2)
			h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) { b.GradClip(t(scale), t(g), c.n, c.maxNorm) })
			h.Check("scale", scale, gradClipTol(c.n))
			if c.want != nil {
				h.CheckValues("scale", scale, c.want, Tol{Why: "min(1, ·) and the finite flag are exact"})
			}
		}})
	}
	for _, c := range adamWCases {
		cases = append(cases, Case{"optim", "forward", "adamw " + c.name, func(h *Harness) {
			p, m, v := h.Output(h.Normal(c.n, 1), c.n), h.Output(nil, c.n), h.Output(nil, c.n)
			var scale *Pair
			if c.clip != 0 {
				s := h.From([]float32{c.clip, 1}, 2)
				scale = &s
			}
			for step := 1; step <= c.steps; step++ {
				g := h.Input(1, c.n)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
					b.AdamW(t(p), t(g), t(m), t(v), Opt(t, scale), c.n, adamLR, adamBeta1, adamBeta2, adamEps, adamWD, step)
				})
			}
			// From zero moments Cauchy–Schwarz bounds the ratio by 1.001 over three steps.
			pTol, mTol, vTol := adamWTols(c.steps, 1.001)
			h.Check("p", p, pTol)
			h.Check("m", m, mTol)
			h.Check("v", v, vTol)
		}})
	}
	for _, n := range []int{1000, 1<<20 + 3} {
		cases = append(cases, Case{"optim", "forward", fmt.Sprintf("adamw n=%d gradclip (norm below maxNorm) then step", n), func(h *Harness) {
			adamWAfterClip(h, n, false)
		}}, Case{"optim", "forward", fmt.Sprintf("adamw n=%d gradclip of a NaN gradient skips the step", n), func(h *Harness) {
			adamWAfterClip(h, n, true)
		}})
	}
	return cases
}

// adamWAfterClip runs GradClip and then AdamW reading its scale at step 4 from non-zero
// moments, as a training step does. maxNorm is above the norm, so the scale is exactly 1
// on both backends (clipped scales have cases of their own); with a NaN in g the step must
// leave p, m and v exactly as they were.
func adamWAfterClip(h *Harness, n int, poison bool) {
	p0, m0, v0 := h.Normal(n, 1), h.Normal(n, 0.1), h.Uniform(n, 0, 0.01)
	p, m, v := h.Output(p0, n), h.Output(m0, n), h.Output(v0, n)
	gv := h.Normal(n, 1)
	if poison {
		gv[n/2] = float32(math.NaN())
	}
	g := h.From(gv, n)
	scale := h.Output(nil, 2)
	h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
		b.GradClip(t(scale), t(g), n, 1e4)
		b.AdamW(t(p), t(g), t(m), t(v), t(scale), n, adamLR, adamBeta1, adamBeta2, adamEps, adamWD, 4)
	})
	ratio := 1.0
	bc1, bc2 := 1/(1-math.Pow(adamBeta1, 4)), 1/(1-math.Pow(adamBeta2, 4))
	for i := range gv {
		g := float64(gv[i])
		m1 := adamBeta1*float64(m0[i]) + (1-adamBeta1)*g
		v1 := adamBeta2*float64(v0[i]) + (1-adamBeta2)*g*g
		if r := math.Abs(m1*bc1) / math.Sqrt(v1*bc2); r > ratio && !math.IsNaN(r) {
			ratio = r
		}
	}
	pTol, mTol, vTol := adamWTols(1, ratio)
	if poison {
		unchanged := Tol{Why: "a skipped step writes nothing"}
		h.CheckValues("p", p, p0, unchanged)
		h.CheckValues("m", m, m0, unchanged)
		h.CheckValues("v", v, v0, unchanged)
		return
	}
	h.Check("p", p, pTol)
	h.Check("m", m, mTol)
	h.Check("v", v, vTol)
}
