package opcheck

import (
	"math"
	"slices"

	"flowsphere/model/tensor"
)

// f32ulp is the float32 unit roundoff, 2^-24.
const f32ulp = 0x1p-24

// lossShape is one rows×cols shape of the loss cases, with the standard deviation of the
// inputs.
type lossShape struct {
	name       string
	rows, cols int
	scale      float64
}

// lossShapes are shared by every loss: one element, a row length that is no multiple of the
// 256-wide workgroup and large magnitudes.
var lossShapes = []lossShape{
	{"1x1", 1, 1, 1},
	{"3x257 not a multiple of the workgroup", 3, 257, 1},
	{"5x300 magnitudes 1e4", 5, 300, 1e4},
}

// imageLoss and latentLoss are the model's shapes: a batch of 32·32·3-pixel images for
// SmoothL1 and MSE, a batch of 256-wide latents for the cosine loss. manyRows needs a 2-D
// grid of workgroups; the three kernels share that indexing, and the case is slow on
// lavapipe, so only SmoothL1 runs it.
var (
	imageLoss  = lossShape{"32x3072 image batch", 32, 3072, 1}
	latentLoss = lossShape{"32x256 latent batch", 32, 256, 1}
	manyRows   = lossShape{"70000x2 rows past one grid dimension", 70000, 2, 1}
)

// lossOutputs is what one run of a loss op yields: the per-row loss, checked by the forward
// case, and the gradients, checked by the backward case.
type lossOutputs struct {
	loss    Pair
	lossTol Tol
	grads   []lossGrad
}

// lossGrad is one gradient output with its tolerance.
type lossGrad struct {
	name string
	out  Pair
	tol  Tol
}

// lossPasses makes the forward and the backward case of one run of loss op (its name, as
// in the loss family's entry points): the op computes both in one kernel, and each case
// checks its own outputs.
func lossPasses(op, name string, run func(h *Harness) lossOutputs) []Case {
	name = op + " " + name
	return []Case{
		{"loss", "forward", name, func(h *Harness) {
			o := run(h)
			h.Check("loss", o.loss, o.lossTol)
		}},
		{"loss", "backward", name, func(h *Harness) {
			for _, g := range run(h).grads {
				h.Check(g.name, g.out, g.tol)
			}
		}},
	}
}

// rowSumError is a bound on the relative error of the device's f32 sum of a row of cols
// non-negative terms: ⌈cols/256⌉ sequential adds per invocation, an 8-level tree, and a few
// roundings in each term, each at most 2^-24 of the total.
func rowSumError(cols int) float64 {
	return float64((cols+255)/256+12) * f32ulp
}

// rowSumTol is the tolerance of a loss that sums non-negative terms per row.
func rowSumTol(cols int) Tol {
	return Tol{Rel: 2 * rowSumError(cols), Why: "f32 strided sum and 256-wide tree of non-negative terms against a float64 sum: (⌈cols/256⌉ + 12)·2^-24 relative, ×2 margin"}
}

// lossCases is the loss family's part of the table: SmoothL1, MSE and cosine, each case
// in a forward (loss) and a backward (gradients) version.
func lossCases() []Case {
	images := append(slices.Clone(lossShapes), imageLoss)
	latents := append(slices.Clone(lossShapes), latentLoss)
	var cases []Case
	for _, s := range append(images, manyRows) {
		cases = append(cases, lossPasses("smoothl1", s.name, smoothL1Run(s))...)
	}
	for _, s := range images {
		cases = append(cases, lossPasses("mse", s.name+", weighted", mseRun(s, true))...)
	}
	for _, s := range []lossShape{lossShapes[1], imageLoss} {
		cases = append(cases, lossPasses("mse", s.name, mseRun(s, false))...)
	}
	for _, s := range latents {
		cases = append(cases, lossPasses("cosine", s.name, cosineRun(s, cosineRandom, true))...)
	}
	for _, c := range []struct {
		name   string
		s      lossShape
		inputs cosineInputs
		withDB bool
	}{
		{"32x256 constant b (no dB)", latentLoss, cosineRandom, false},
		{"32x256 b = a + 1e-3 noise (cos near 1)", latentLoss, cosineNear, true},
		{"1x256 zero row in a (eps guard)", lossShape{rows: 1, cols: 256, scale: 1}, cosineZeroRow, true},
	} {
		cases = append(cases, lossPasses("cosine", c.name, cosineRun(c.s, c.inputs, c.withDB))...)
	}
	return cases
}

// pointwiseLoss runs SmoothL1 or MSE on both backends (with h.Run) with the given tensors.
type pointwiseLoss func(h *Harness, loss, dPred, pred, target Pair, gradScale float32)

// pointwiseRun runs op on Gaussian pred and target with gradScale = 1/(rows·cols); the
// gradient is elementwise, within gradTol.
func pointwiseRun(s lossShape, gradTol Tol, op pointwiseLoss) func(h *Harness) lossOutputs {
	return func(h *Harness) lossOutputs {
		pred, target := h.Input(s.scale, s.rows, s.cols), h.Input(s.scale, s.rows, s.cols)
		loss, dPred := h.Output(nil, s.rows), h.Output(nil, s.rows, s.cols)
		op(h, loss, dPred, pred, target, float32(1/float64(s.rows*s.cols)))
		return lossOutputs{loss, rowSumTol(s.cols), []lossGrad{{"dPred", dPred, gradTol}}}
	}
}

// smoothL1Run runs SmoothL1 with beta = the input scale, so both branches of the Huber
// occur.
func smoothL1Run(s lossShape) func(h *Harness) lossOutputs {
	tol := Tol{Rel: 8 * f32ulp, Why: "gradScale·d/beta: a WGSL division (2.5 ulp) and a product; sign(d) outside beta is exact"}
	return pointwiseRun(s, tol, func(h *Harness, loss, dPred, pred, target Pair, gradScale float32) {
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.SmoothL1(t(loss), t(dPred), t(pred), t(target), s.rows, s.cols, float32(s.scale), gradScale)
		})
	})
}

// mseRun runs MSE, with per-row weights in [0.1, 2) when weighted.
func mseRun(s lossShape, weighted bool) func(h *Harness) lossOutputs {
	tol := Tol{Rel: 4 * f32ulp, Why: "(gradScale·2·w)·d: correctly rounded products on both sides; a compiler may reassociate them"}
	return pointwiseRun(s, tol, func(h *Harness, loss, dPred, pred, target Pair, gradScale float32) {
		var weight *Pair
		if weighted {
			w := h.From(h.Uniform(s.rows, 0.1, 2), s.rows)
			weight = &w
		}
		h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
			b.MSE(t(loss), t(dPred), t(pred), t(target), Opt(t, weight), s.rows, s.cols, gradScale)
		})
	})
}

// cosineInputs makes the a and b of a cosine case: [rows, cols] each.
type cosineInputs func(h *Harness, s lossShape) (a, b []float32)

// cosineRandom draws a and b independently.
func cosineRandom(h *Harness, s lossShape) (a, b []float32) {
	return h.Normal(s.rows*s.cols, s.scale), h.Normal(s.rows*s.cols, s.scale)
}

// cosineNear makes b a slightly perturbed a, where 1 − cos and the gradients cancel.
func cosineNear(h *Harness, s lossShape) (a, b []float32) {
	a, b = h.Normal(s.rows*s.cols, s.scale), h.Normal(s.rows*s.cols, 1e-3*s.scale)
	for i := range b {
		b[i] += a[i]
	}
	return a, b
}

// cosineZeroRow zeroes the first row of a: the norm clamp gives loss 1 and a finite dA of
// order 1/eps (a case of its own, since that scale sets the row's absolute tolerance).
func cosineZeroRow(h *Harness, s lossShape) (a, b []float32) {
	a, b = cosineRandom(h, s)
	clear(a[:s.cols])
	return a, b
}

// cosineRun runs Cosine on the given inputs, with dB when withDB.
func cosineRun(s lossShape, inputs cosineInputs, withDB bool) func(h *Harness) lossOutputs {
	return func(h *Harness) lossOutputs {
		av, bv := inputs(h, s)
		a, b := h.From(av, s.rows, s.cols), h.From(bv, s.rows, s.cols)
		loss, dA := h.Output(nil, s.rows), h.Output(nil, s.rows, s.cols)
		var dB *Pair
		if withDB {
			d := h.Output(nil, s.rows, s.cols)
			dB = &d
		}
		const gradScale = 1.0 / 32
		h.Run(func(be tensor.Backend, t func(Pair) *tensor.Tensor) {
			be.Cosine(t(loss), t(dA), Opt(t, dB), t(a), t(b), s.rows, s.cols, gradScale)
		})
		e := cosineError(s.cols)
		o := lossOutputs{
			loss:    loss,
			lossTol: Tol{Abs: 2 * e, Why: "1 − cos is accurate in absolute terms only: cos carries the f32 error of three row sums (cosineError), ×2 margin"},
			grads:   []lossGrad{{"dA", dA, cosineGradTol(av, bv, s, gradScale)}},
		}
		if dB != nil {
			o.grads = append(o.grads, lossGrad{"dB", *dB, cosineGradTol(bv, av, s, gradScale)})
		}
		return o
	}
}

// cosineError bounds the relative error of the device's row sums a·b, |a|², |b|² (relative
// to |a||b|, |a|², |b|²) and of the few roundings that make cos from them.
func cosineError(cols int) float64 { return 2 * rowSumError(cols) }

// cosineGradTol bounds the error of dX = gradScale·(cos·x/|x|² − y/(|x||y|)): the sums'
// error reaches an element through both terms, so the bound is gradScale·cosineError·
// max over elements of (|x_i|/|x|² + |y_i|/(|x||y|)) with the clamped norms, ×2 margin.
// x, y: [rows, cols] on the host.
func cosineGradTol(x, y []float32, s lossShape, gradScale float64) Tol {
	worst := 0.0
	for r := range s.rows {
		xr, yr := x[r*s.cols:(r+1)*s.cols], y[r*s.cols:(r+1)*s.cols]
		nx, ny := clampedNorm(xr), clampedNorm(yr)
		for c := range xr {
			worst = math.Max(worst, math.Abs(float64(xr[c]))/(nx*nx)+math.Abs(float64(yr[c]))/(nx*ny))
		}
	}
	return Tol{Abs: 2 * gradScale * cosineError(s.cols) * worst,
		Why: "both gradient terms inherit the f32 error of the row sums (cosineError) at the scale of the row's largest terms, ×2 margin"}
}

// clampedNorm is max(|x|, 1e-8), the norm the cosine kernels divide by.
func clampedNorm(x []float32) float64 {
	s := 0.0
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Max(math.Sqrt(s), 1e-8)
}
