package engine

import (
	"bytes"
	"errors"
	"fmt"

	"flowsphere/model/config"
	"flowsphere/model/gen"
	"flowsphere/weights"
)

// First grid: a fixed seed, so the page looks the same on every visit, refined with a few
// Heun steps.
const (
	firstSeed    = 1
	DefaultSteps = 4
)

// freshConfig is the model made when there is no weight file to load.
const freshConfig = "small"

// start loads the default weights, restores a stored fine-tune and draws the first grid.
func (e *Engine) start() error {
	if e.b == nil {
		return errors.New("no compute backend")
	}
	loadErr := e.loadDefault()
	restoreErr := e.restore()
	note := e.note // what was loaded says more than the grid's timing
	if err := e.generate(firstSeed, DefaultSteps); err != nil {
		return err
	}
	e.note = note
	return errors.Join(loadErr, restoreErr)
}

// loadDefault installs Options.Weights, or a freshly initialised model when there are none
// or they do not load (the error says so), so the app always has a model.
func (e *Engine) loadDefault() error {
	if len(e.opts.Weights) > 0 {
		err := e.loadWeights(e.opts.WeightsName, e.opts.Weights)
		if err == nil {
			return nil
		}
		if e.model != nil {
			return err
		}
		return errors.Join(err, e.fresh())
	}
	return e.fresh()
}

// fresh installs a newly initialised model: the app works, its images are noise until it
// is trained.
func (e *Engine) fresh() error {
	cfg, err := config.Preset(freshConfig)
	if err != nil {
		return err
	}
	m, err := gen.New(e.b, cfg, 1)
	if err != nil {
		return err
	}
	e.install(m, "fresh-"+freshConfig)
	e.note = fmt.Sprintf("no weight file: a freshly initialised %s model, whose images are noise until it is trained", freshConfig)
	return nil
}

// loadWeights reads a weight file and installs its model. On any error the current model
// stays.
func (e *Engine) loadWeights(name string, data []byte) error {
	f, err := weights.Read(bytes.NewReader(data), weights.DefaultLimits)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	m, err := gen.Open(e.b, f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	e.install(m, name)
	e.note = fmt.Sprintf("%s: %s config, %s parameters · %s", name, m.Cfg.Name, FormatCount(m.Params.Count()), e.snap.Backend)
	return nil
}

// loadUserWeights is the Load command: the new model replaces the old one and any
// fine-tune of it, redraws the grid and is stored so that a reload keeps it.
func (e *Engine) loadUserWeights(name string, data []byte) error {
	if err := e.loadWeights(name, data); err != nil {
		return err
	}
	e.ft.dirty = true
	return e.generate(e.snap.Seed, e.snap.Steps)
}

// install makes m the model, replacing the previous one and its trainer. Fine-tune images
// stay unless the new model wants another image size.
func (e *Engine) install(m *gen.Model, name string) {
	e.dropTrainer()
	e.dropModel()
	e.model, e.gen = m, m.NewGenerator(e.b, GridSize)
	if e.opts.Loops > 0 {
		e.gen.Loops = e.opts.Loops
	}
	e.snap.Loops = e.gen.Loops
	e.pts = e.b.New(GridSize, m.Cfg.L())
	e.snap.Model, e.snap.Config, e.snap.Params, e.snap.ImageSize = name, m.Cfg.Name, m.Params.Count(), m.Cfg.Image
	if e.ft.size != m.Cfg.Image {
		e.ft.clearImages()
		e.ft.size = m.Cfg.Image
	}
}

// dropModel frees the model and its generator.
func (e *Engine) dropModel() {
	if e.model == nil {
		return
	}
	e.gen.Free(e.b)
	e.b.Free(e.pts)
	e.model.Free(e.b)
	e.model, e.gen, e.pts, e.points, e.walk = nil, nil, nil, nil, nil
}

// reset forgets the fine-tune and its stored copy and goes back to the default weights.
func (e *Engine) reset() error {
	if err := e.forget(); err != nil {
		return err
	}
	e.dropTrainer()
	e.ft.clearImages()
	err := e.loadDefault()
	if genErr := e.generate(e.snap.Seed, e.snap.Steps); genErr != nil {
		return genErr
	}
	return err
}
