package engine

import (
	"fmt"
	"math"
	"slices"

	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/prior"
	"flowsphere/model/tensor"
	"flowsphere/model/train"
)

// fineTuneOptions are the trainer settings for fine-tuning a pretrained model on a few
// images: a small batch, a gentler learning rate and a shorter warmup than pretraining,
// and an EMA that follows within a few hundred steps.
func fineTuneOptions(target int, aeOnly bool) train.Options {
	o := train.DefaultOptions(target)
	o.Batch, o.LR, o.MinLR, o.Warmup, o.EMADecay = 8, 2e-4, 2e-5, 20, 0.995
	o.AEWarmup = aeWarmup(aeOnly)
	return o
}

// aeWarmup is the phase-1 length that trains the autoencoder alone (never leaving phase 1)
// or jointly with the refiner (phase 2 from the first step).
func aeWarmup(aeOnly bool) int {
	if aeOnly {
		return math.MaxInt32
	}
	return 0
}

// priorImages bounds the fine-tune images the sphere prior is refitted to after each sync:
// enough for its components, few enough to encode in moments.
const priorImages = 256

// syncEMA copies the trainer's EMA into the model images are generated from, once per
// step: while fine-tuning, every image comes from the averaged weights. A model with a
// sphere prior has it refitted to the encodings of the fine-tune images, so that samples
// come from where the fine-tuned encoder puts the user's pictures (two images at least).
func (e *Engine) syncEMA() error {
	ft := &e.ft
	if ft.tr == nil || ft.synced {
		return nil
	}
	copyArena(e.b, e.model.Params.Values, ft.tr.EMA(), e.model.Params.Size)
	ft.synced = true
	if e.model.Prior == nil || len(ft.images) < 2 {
		return nil
	}
	if _, err := ft.tr.FitPrior(e.model, priorImages, prior.DefaultFitOptions()); err != nil {
		return fmt.Errorf("refitting the sphere prior to the fine-tune images: %w", err)
	}
	return nil
}

// ensureTrainer makes a trainer on the current images, or remakes it when images were
// added since: the trainer's epoch order is cut for a fixed image count.
func (e *Engine) ensureTrainer() error {
	ft := &e.ft
	if ft.tr != nil && len(ft.tr.Data.Train) == len(ft.images) {
		return nil
	}
	if old := ft.tr; old != nil {
		// AdamW's moments start again; weights, EMA and step carry over.
		tr, err := e.makeTrainer(old.M.Params.Values, old.EMA(), old.Step, old.LRScale, old.Opt)
		if err != nil {
			return err
		}
		freeTrainer(e.b, old)
		ft.tr = tr
		return nil
	}
	v := e.model.Params.Values
	tr, err := e.makeTrainer(v, v, 0, 1, fineTuneOptions(ft.target, ft.aeOnly))
	if err != nil {
		return err
	}
	ft.tr, ft.synced, ft.losses = tr, true, nil
	return nil
}

// makeTrainer builds a trainer on the images, starting from the weights values and the EMA
// ema (arenas of the engine's model layout) at the given step.
func (e *Engine) makeTrainer(values, ema *tensor.Tensor, step int, lrScale float64, opt train.Options) (*train.Trainer, error) {
	m, err := gen.New(e.b, e.model.Cfg, opt.Seed)
	if err != nil {
		return nil, err
	}
	copyArena(e.b, m.Params.Values, values, m.Params.Size)
	set := &data.Set{Name: fmt.Sprintf("%d-images", len(e.ft.images)), Size: e.ft.size, Train: slices.Clone(e.ft.images)}
	tr, err := train.New(e.b, m, set, opt)
	if err != nil {
		m.Free(e.b)
		return nil, err
	}
	copyArena(e.b, tr.EMA(), ema, m.Params.Size)
	tr.Step, tr.LRScale = step, lrScale
	return tr, nil
}

// dropTrainer frees the trainer and its model and forgets the training progress.
func (e *Engine) dropTrainer() {
	ft := &e.ft
	if ft.tr != nil {
		freeTrainer(e.b, ft.tr)
	}
	ft.tr, ft.training, ft.stopAt, ft.losses, ft.rate, ft.preview = nil, false, 0, nil, 0, Grid{}
	e.backup.trainer = nil
}

// freeTrainer frees a trainer and the model it trains.
func freeTrainer(b tensor.Backend, tr *train.Trainer) {
	tr.Free()
	tr.M.Free(b)
}

// copyArena copies a parameter arena of n values on the device.
func copyArena(b tensor.Backend, dst, src *tensor.Tensor, n int) {
	if dst != src {
		b.Copy2D(dst, src, 1, n, 0, 0, 0, 0, false)
	}
}

// finite reports whether x is a number other than ±Inf.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
