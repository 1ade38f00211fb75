package train

import (
	"fmt"
	"math"
	"math/rand/v2"

	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/refiner"
	"flowsphere/model/sphere"
	"flowsphere/model/tensor"
)

// Device noise streams per step (Backend.Rand counters 2·step and 2·step+1).
const (
	directionStream = 0 // the autoencoder's shared noise direction e
	flowStream      = 1 // the refiner's start noise ε
)

// Trainer trains one model on one dataset. It is not safe for concurrent use.
type Trainer struct {
	B    tensor.Backend
	M    *gen.Model
	Data *data.Set
	Opt  Options

	// Step counts the steps taken; LRScale multiplies the schedule (halved after
	// non-finite gradients).
	Step    int
	LRScale float64

	m, v, ema *tensor.Tensor // AdamW moments and EMA weights: [Params.Size]
	x         *tensor.Tensor // the batch: [Batch, 3, H, W]
	xHost     []float32      // its host copy, [Batch·3·H·W]
	ae        *sphere.Step
	flow      *refiner.FlowStep
	dLatent   *tensor.Tensor // refiner gradient on v_small: [Batch, L]
	scale     *tensor.Tensor // GradClip output {scale, finite}: [2]
	muon      *muon          // Muon's state with Options.Optimizer "muon", else nil

	aeSum, flowSum, okSum *tensor.Tensor // loss and finite-step sums since the last report
	pending               int            // steps since the last report

	order      []int // this epoch's permutation of the training images
	orderEpoch int
}

// New prepares to train m on set from step 0 (or from a checkpoint's state, see Resume).
func New(b tensor.Backend, m *gen.Model, set *data.Set, opt Options) (*Trainer, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	c := m.Cfg
	if set.Size != c.Image {
		return nil, fmt.Errorf("train: dataset %s has %d-pixel images, the model wants %d", set.Name, set.Size, c.Image)
	}
	if len(set.Train) == 0 {
		return nil, fmt.Errorf("train: dataset %s has no training images", set.Name)
	}
	n := m.Params.Size
	t := &Trainer{
		B: b, M: m, Data: set, Opt: opt, LRScale: 1,
		m: b.New(n), v: b.New(n), ema: b.New(n),
		x: b.New(opt.Batch, c.Channels, c.Image, c.Image), xHost: make([]float32, opt.Batch*c.Pixels()),
		ae: m.AE.NewStep(b, opt.Batch), flow: m.Ref.NewFlowStep(b, opt.Batch),
		dLatent: b.New(opt.Batch, c.L()), scale: b.New(2),
		aeSum: b.New(3, opt.Batch), flowSum: b.New(opt.Batch), okSum: b.New(1),
		orderEpoch: -1,
	}
	b.Copy2D(t.ema, m.Params.Values, 1, n, 0, 0, 0, 0, false)
	if opt.Optimizer == Muon {
		t.muon = newMuon(b, m.Params, t.m, t.v)
	}
	return t, nil
}

// Free releases the trainer's buffers (not the model).
func (t *Trainer) Free() {
	for _, x := range []*tensor.Tensor{t.m, t.v, t.ema, t.x, t.dLatent, t.scale, t.aeSum, t.flowSum, t.okSum} {
		t.B.Free(x)
	}
	t.ae.Free(t.B)
	t.flow.Free(t.B)
	if t.muon != nil {
		t.muon.free(t.B)
	}
}

// EMA is the arena of averaged weights, laid out like M.Params.Values.
func (t *Trainer) EMA() *tensor.Tensor { return t.ema }

// Joint reports whether step trains the refiner too (phase 2).
func (t *Trainer) Joint(step int) bool { return step >= t.Opt.AEWarmup }

// batchIndices returns the training images of step: epochs walk a seeded permutation, so the
// order depends only on (seed, step) and a resumed run sees the same batches.
func (t *Trainer) batchIndices(step int) []int {
	n, bsz := len(t.Data.Train), t.Opt.Batch
	idx := make([]int, bsz)
	for i := range idx {
		j := step*bsz + i
		if epoch := j / n; epoch != t.orderEpoch {
			t.order = rand.New(rand.NewPCG(t.Opt.Seed, uint64(epoch)|1<<40)).Perm(n)
			t.orderEpoch = epoch
		}
		idx[i] = t.order[j%n]
	}
	return idx
}

// TrainStep records one optimiser step on the backend.
func (t *Trainer) TrainStep() {
	b, o, step := t.B, t.Opt, t.Step
	rng := rand.New(rand.NewPCG(o.Seed, uint64(step)))
	t.Data.Batch(t.xHost, t.batchIndices(step), true)
	b.Upload(t.x, t.xHost)

	// On device backends the step is recorded into one command buffer, submitted at its end.
	joint := t.Joint(step)
	t.M.AE.SetNoise(b, t.ae, sphere.DrawNoise(t.M.Cfg, rng, o.Batch))
	if joint {
		t.M.Ref.SetTimes(b, t.flow, refiner.DrawTimes(t.M.Cfg, rng, o.Batch))
	}

	ps := t.M.Params
	ps.ZeroGrads(b)
	b.Rand(t.ae.Direction(), o.Batch*t.M.Cfg.L(), o.Seed, 2*uint64(step)+directionStream, tensor.Normal)
	t.M.AE.Forward(b, t.ae, t.x)
	if joint {
		b.Rand(t.flow.Noise(), o.Batch*t.M.Cfg.Pixels(), o.Seed, 2*uint64(step)+flowStream, tensor.Normal)
		t.M.Ref.FlowForward(b, t.flow, t.x, t.ae.XSmall(), t.ae.HSmall(), t.ae.VSmall())
		t.M.Ref.FlowBackward(b, t.flow, t.dLatent)
		t.M.AE.Backward(b, t.ae, t.dLatent)
		b.Axpby(t.flowSum, t.flow.Loss(), 1, 1)
	} else {
		t.M.AE.Backward(b, t.ae, nil)
	}
	b.Axpby(t.aeSum, t.ae.Losses(), 1, 1)

	b.GradClip(t.scale, ps.Grads, ps.Size, float32(o.ClipNorm))
	lr := o.LRAt(step) * t.LRScale
	if t.muon != nil {
		for _, s := range t.muon.adam {
			b.AdamW(s.p, s.g, s.m, s.v, t.scale, s.n, float32(lr), float32(o.Beta1), float32(o.Beta2), float32(o.Eps), float32(o.WD), step+1)
		}
		t.muon.step(b, t.scale, lr*o.MuonLR, o.MuonMu, o.MuonWD)
	} else {
		b.AdamW(ps.Values, ps.Grads, t.m, t.v, t.scale, ps.Size, float32(lr), float32(o.Beta1), float32(o.Beta2), float32(o.Eps), float32(o.WD), step+1)
	}
	d := o.EMAAt(step)
	b.Axpby(t.ema, ps.Values, float32(1-d), float32(d))
	b.Copy2D(t.okSum, t.scale, 1, 1, 0, 0, 1, 0, true)
	t.Step++
	t.pending++
	// Submitted now, the step runs on the device while the host records the next one; a
	// failure shows in the next Report.
	b.Flush()
}

// Report is the mean of the losses over the steps since the previous report.
type Report struct {
	Step    int     `json:"step"`    // steps taken so far
	Steps   int     `json:"steps"`   // steps this report covers
	Recon   float64 `json:"recon"`   // reconstruction SmoothL1
	Pixel   float64 `json:"pixel"`   // pixel consistency (weighted)
	Latent  float64 `json:"latent"`  // latent consistency (weighted)
	Flow    float64 `json:"flow"`    // refiner v-loss (0 in phase 1)
	Total   float64 `json:"total"`   // their sum
	Skipped int     `json:"skipped"` // steps whose gradients were not finite and were skipped
	LR      float64 `json:"lr"`      // learning rate of the last step
}

// Report reads back the loss sums, resets them and, when steps were skipped for non-finite
// gradients, halves the learning rate from now on.
func (t *Trainer) Report() (Report, error) {
	r := Report{Step: t.Step, Steps: t.pending, LR: t.Opt.LRAt(max(0, t.Step-1)) * t.LRScale}
	if t.pending == 0 {
		return r, nil
	}
	ae, err := t.B.Download(t.aeSum)
	if err != nil {
		return r, err
	}
	flow, err := t.B.Download(t.flowSum)
	if err != nil {
		return r, err
	}
	ok, err := t.B.Download(t.okSum)
	if err != nil {
		return r, err
	}
	n, bsz := float64(t.pending), t.Opt.Batch
	for i, v := range ae {
		part := float64(v) / n
		switch i / bsz {
		case 0:
			r.Recon += part
		case 1:
			r.Pixel += part
		default:
			r.Latent += part
		}
	}
	for _, v := range flow {
		r.Flow += float64(v) / n
	}
	r.Total = r.Recon + r.Pixel + r.Latent + r.Flow
	r.Skipped = t.pending - int(math.Round(float64(ok[0])))
	if r.Skipped > 0 || math.IsNaN(r.Total) || math.IsInf(r.Total, 0) {
		t.LRScale /= 2
	}
	for _, s := range []*tensor.Tensor{t.aeSum, t.flowSum, t.okSum} {
		t.B.Fill(s, 0)
	}
	t.pending = 0
	return r, nil
}
