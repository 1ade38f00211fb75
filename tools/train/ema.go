package main

import (
	"fmt"

	"flowsphere/model/gen"
	"flowsphere/model/prior"
	"flowsphere/model/tensor"
	"flowsphere/model/train"
	"flowsphere/tools/internal/samples"
	"flowsphere/weights"
)

// Sample grids use a fixed seed and refinement steps, so grids of a run are comparable.
const (
	sampleSeed  = 1
	sampleSteps = 4
)

// emaModel is a copy of the model holding the trainer's EMA weights, with the sphere prior
// fitted to them: what sample grids show and weight files hold.
type emaModel struct {
	m           *gen.Model
	g           *gen.Generator
	prior       prior.FitOptions // Components 0: no prior
	priorImages int
	fitted      int // the step the prior was fitted at (-1: never)
}

// newEMAModel makes the copy for tr with f's export settings: the prior, its temperature and
// the loop count (-loops, else 0 with a prior, else the trained model's own).
func newEMAModel(b tensor.Backend, tr *train.Trainer, f flags, grid int) (*emaModel, error) {
	m, err := gen.New(b, tr.M.Cfg, 0)
	if err != nil {
		return nil, err
	}
	fit := prior.DefaultFitOptions()
	fit.Components = f.prior
	m.Loops, m.Temperature = tr.M.Loops, f.temperature
	switch {
	case f.loops >= 0:
		m.Loops = f.loops
	case f.prior > 0:
		m.Loops = 0
	}
	return &emaModel{m: m, g: m.NewGenerator(b, grid), prior: fit, priorImages: f.priorImages, fitted: -1}, nil
}

// refresh copies the trainer's EMA into the model and, once per step, fits its prior.
func (e *emaModel) refresh(b tensor.Backend, tr *train.Trainer) error {
	b.Copy2D(e.m.Params.Values, tr.EMA(), 1, e.m.Params.Size, 0, 0, 0, 0, false)
	if e.prior.Components == 0 || e.fitted == tr.Step {
		return nil
	}
	if _, err := tr.FitPrior(e.m, e.priorImages, e.prior); err != nil {
		return fmt.Errorf("step %d: sphere prior: %w", tr.Step, err)
	}
	e.fitted = tr.Step
	return nil
}

// grid writes AE decode and refined sample side by side, from the trainer's current EMA.
func (e *emaModel) grid(b tensor.Backend, tr *train.Trainer, path string) error {
	if err := e.refresh(b, tr); err != nil {
		return err
	}
	e.g.Loops = e.m.Loops
	dec, ref, err := e.g.Generate(b, sampleSeed, sampleSteps, false)
	if err != nil {
		return err
	}
	return samples.WritePairs(path, dec, ref, e.m.Cfg.Image, 4)
}

// export writes the EMA weights and prior in F16 with the training facts in the metadata.
func (e *emaModel) export(b tensor.Backend, tr *train.Trainer, path string) error {
	if err := e.refresh(b, tr); err != nil {
		return err
	}
	meta := map[string]string{
		"dataset": tr.Data.Name, "steps": fmt.Sprint(tr.Step), "images_seen": fmt.Sprint(tr.Step * tr.Opt.Batch),
		"weights": "ema",
	}
	f, err := e.m.ToFile(b, e.m.Params.Values, meta)
	if err != nil {
		return err
	}
	return weights.WriteFile(path, f, weights.F16)
}

func (e *emaModel) free(b tensor.Backend) {
	e.g.Free(b)
	e.m.Free(b)
}
