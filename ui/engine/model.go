package engine

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"

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
	if err := errors.Join(loadErr, restoreErr); err != nil {
		e.fail(err) // shown while the first grid is drawn, which takes long on a slow device
		e.publish()
	}
	note := e.note // what was loaded says more than the grid's timing
	if err := e.generate(firstSeed, DefaultSteps); err != nil {
		return err
	}
	e.note = note
	return errors.Join(loadErr, restoreErr)
}

// loadDefault installs Options.Weights. When the host could not get them (WeightsErr) or
// they do not load, it loads Options.DefaultWeights instead, keeps the current model, or
// makes a freshly initialised one, and the error says why and which, so the app always
// has a model.
func (e *Engine) loadDefault() error {
	err := e.opts.WeightsErr
	if err == nil {
		if len(e.opts.Weights) == 0 {
			return e.fresh()
		}
		if err = e.loadWeights(e.opts.WeightsName, e.opts.Weights); err == nil {
			return nil
		}
	}
	if get := e.opts.DefaultWeights; get != nil {
		name, data, derr := get()
		if derr == nil {
			derr = e.loadWeights(name, data)
		}
		if derr == nil {
			return fmt.Errorf("%w; loaded the default model %s instead", err, name)
		}
		err = fmt.Errorf("%w; the default model did not load either: %w", err, derr)
	}
	if e.model != nil {
		return e.kept(err)
	}
	if ferr := e.fresh(); ferr != nil {
		return errors.Join(err, ferr)
	}
	return fmt.Errorf("%w; started a freshly initialised %s model instead", err, freshConfig)
}

// kept says that the current model stays after err.
func (e *Engine) kept(err error) error {
	return fmt.Errorf("%w; the model %s stays", err, e.snap.Model)
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
	if err := e.install(m, "fresh-"+freshConfig, nil); err != nil {
		return err
	}
	e.note = fmt.Sprintf("no weight file: a freshly initialised %s model, whose images are noise until it is trained", freshConfig)
	return nil
}

// loadWeights reads a weight file and installs its model; name may be a path or a URL, the
// model is called by its last element. On any error the current model stays.
func (e *Engine) loadWeights(name string, data []byte) error {
	f, err := weights.Read(bytes.NewReader(data), weights.DefaultLimits)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	m, err := gen.Open(e.b, f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := e.install(m, filepath.Base(name), f); err != nil {
		return err
	}
	e.note = fmt.Sprintf("%s: %s config, %s parameters · %s", name, m.Cfg.Name, FormatCount(m.Params.Count()), e.snap.Backend)
	return nil
}

// loadUserWeights is the Load command: the new model replaces the old one and any
// fine-tune of it, redraws the grid and is stored so that a reload keeps it.
func (e *Engine) loadUserWeights(name string, data []byte) error {
	if err := e.loadWeights(name, data); err != nil {
		return e.kept(err)
	}
	e.ft.dirty = true
	return e.generate(e.snap.Seed, e.snap.Steps)
}

// install makes m, opened from the weight file src (nil for a fresh model), the model,
// replacing the previous one and its trainer, and keeps its host copy for recovery.
// Fine-tune images stay unless the new model wants another image size.
func (e *Engine) install(m *gen.Model, name string, src *weights.File) error {
	e.dropTrainer()
	e.dropModel()
	e.attach(m)
	e.snap.Model, e.snap.Config, e.snap.Params, e.snap.ImageSize = name, m.Cfg.Name, m.Params.Count(), m.Cfg.Image
	if e.ft.size != m.Cfg.Image {
		e.ft.clearImages()
		e.ft.size = m.Cfg.Image
	}
	return e.backupModel(m, src)
}

// attach makes m the model images are generated from, with its generator.
func (e *Engine) attach(m *gen.Model) {
	e.model, e.gen = m, m.NewGenerator(e.b, GridSize)
	if e.opts.Loops > 0 {
		e.gen.Loops = e.opts.Loops
	}
	e.snap.Loops = e.gen.Loops
	e.pts = e.b.New(GridSize, m.Cfg.L())
}

// dropModel frees the model and its generator and forgets the grid's points.
func (e *Engine) dropModel() {
	e.freeModel()
	e.points, e.walk = nil, nil
}

// freeModel frees the model and its generator.
func (e *Engine) freeModel() {
	if e.model == nil {
		return
	}
	e.gen.Free(e.b)
	e.b.Free(e.pts)
	e.model.Free(e.b)
	e.model, e.gen, e.pts = nil, nil, nil
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
