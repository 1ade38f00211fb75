package refiner

import (
	"math"

	"flowsphere/model/tensor"
)

// FlowStep is the state of one flow-matching training step at a fixed batch: the refiner's
// activations, the coupling's x_start and x_t, the per-row coefficients uploaded from the
// host, and the loss with its gradient.
type FlowStep struct {
	batch      int
	acts       *Acts
	noise      *tensor.Tensor // ε [batch, 3, H, W], filled by the caller
	xStart, xt *tensor.Tensor // [batch, 3, H, W]
	oneMinusT  *tensor.Tensor // 1 − t [batch]
	t          *tensor.Tensor // t [batch]
	weight     *tensor.Tensor // 1/(batch·Pixels·max(1−t, TEps)²) [batch]
	loss       *tensor.Tensor // [batch]
	dPred      *tensor.Tensor // [batch, 3, H, W]
	all        owned
}

// NewFlowStep allocates a training step's state for batch images.
func (r *Refiner) NewFlowStep(b tensor.Backend, batch int) *FlowStep {
	c := r.Cfg
	fs := &FlowStep{batch: batch, acts: r.NewActs(b, batch)}
	alloc := func(shape ...int) *tensor.Tensor { return fs.all.alloc(b, shape...) }
	img := []int{batch, c.Channels, c.Image, c.Image}
	fs.noise, fs.xStart, fs.xt, fs.dPred = alloc(img...), alloc(img...), alloc(img...), alloc(img...)
	fs.oneMinusT, fs.t, fs.weight, fs.loss = alloc(batch), alloc(batch), alloc(batch), alloc(batch)
	return fs
}

// Noise is ε: [batch, 3, H, W], for the caller to fill with Backend.Rand (Normal) before
// FlowForward.
func (fs *FlowStep) Noise() *tensor.Tensor { return fs.noise }

// Loss holds each row's weighted contribution: [batch]; their sum is the flow loss.
func (fs *FlowStep) Loss() *tensor.Tensor { return fs.loss }

// Free releases the step's state.
func (fs *FlowStep) Free(b tensor.Backend) {
	fs.acts.Free(b)
	fs.all.free(b)
}

// FlowForward runs the coupling, the refiner and the loss (DESIGN.md §4.3):
//
//	x_start = r·ε + (1−r)·xDec,  x_t = (1−t)·x_start + t·x,  x̂ = R(x_t, t),
//	loss = mean over batch and pixels of ((x̂ − x_t) − (x − x_t))² / max(1−t, TEps)².
//
// The v-loss on an x-prediction: v̂ − v = ((x̂ − x_t) − (x − x_t))/max(1−t, TEps), and the
// x_t terms cancel, so it is the MSE of x̂ against x with the per-row weight
// 1/max(1−t, TEps)²; for t ≤ 1−TEps the velocity target (x − x_t)/(1−t) is x − x_start.
// The mean's 1/(batch·Pixels) is folded into the weight, so Loss sums to the flow loss and
// the gradient kept for FlowBackward is the flow loss's.
// x: clean images, xDec = sg(D(v_small)) (no gradient reaches it), fs.Noise() filled:
// [batch, 3, H, W]; hidden: [batch·T, E] (detached); latent: [batch, L]. The times must be
// set first (SetTimes).
func (r *Refiner) FlowForward(b tensor.Backend, fs *FlowStep, x, xDec, hidden, latent *tensor.Tensor) {
	c := r.Cfg
	bsz, px := fs.batch, c.Pixels()
	copyAll(b, fs.xStart, xDec)
	b.Axpby(fs.xStart, fs.noise, float32(c.Ratio), float32(1-c.Ratio))
	copyAll(b, fs.xt, x)
	b.RowAxpby(fs.xt, fs.xStart, fs.oneMinusT, fs.t, bsz, px)

	r.forward(b, fs.acts, fs.xt, hidden, latent)
	b.MSE(fs.loss, fs.dPred, fs.acts.Pred(), x, fs.weight, bsz, px, 1)
}

// SetTimes uploads the step's times t: host [batch] with their embedding and loss weights,
// for the next FlowForward.
func (r *Refiner) SetTimes(b tensor.Backend, fs *FlowStep, t []float32) {
	c := r.Cfg
	bsz, px := fs.batch, c.Pixels()
	oneMinusT, weight := make([]float32, bsz), make([]float32, bsz)
	for i, ti := range t {
		oneMinusT[i] = 1 - ti
		clamp := math.Max(1-float64(ti), c.TEps)
		weight[i] = float32(1 / (float64(bsz*px) * clamp * clamp))
	}
	r.uploadTime(b, fs.acts, t)
	b.Upload(fs.oneMinusT, oneMinusT)
	b.Upload(fs.t, t)
	b.Upload(fs.weight, weight)
}

// FlowBackward adds the flow loss's parameter gradients and overwrites dLatent: [batch, L]
// (nil skips it) with the loss's gradient with respect to the latent.
func (r *Refiner) FlowBackward(b tensor.Backend, fs *FlowStep, dLatent *tensor.Tensor) {
	r.Backward(b, fs.acts, fs.dPred, dLatent)
}
