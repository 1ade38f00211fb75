package engine

import (
	"errors"
	"fmt"
	"time"
)

// Training cadence: a report (one loss readback) every reportEvery steps keeps the GPU
// busy between readbacks and lets commands in between chunks; previews every PreviewEvery.
const (
	reportEvery  = 5
	PreviewEvery = 25
	PreviewSeed  = 1

	// autosaveEvery steps the state is stored while training runs, so closing the page
	// mid-run loses at most that much.
	autosaveEvery = 250
)

// train starts training for steps more steps, or up to the target when steps ≤ 0.
func (e *Engine) train(steps int) error {
	ft := &e.ft
	if len(ft.images) == 0 {
		return errors.New("no images to fine-tune on: drop some on the canvas or pick them with the file input")
	}
	if err := e.ensureTrainer(); err != nil {
		return err
	}
	step := ft.tr.Step
	ft.stopAt = 0
	switch {
	case steps > 0:
		ft.stopAt = step + steps
		ft.target = max(ft.target, ft.stopAt)
	case step >= ft.target:
		ft.target = step + defaultTarget
	}
	ft.tr.Opt.Steps = ft.target
	ft.training, ft.rate, e.walk = true, 0, nil
	if ft.preview.Refined == nil {
		return e.preview()
	}
	return nil
}

// pause stops training; the state is stored when the engine is next idle.
func (e *Engine) pause() error {
	if !e.ft.training {
		return nil
	}
	e.ft.training, e.ft.stopAt, e.ft.dirty = false, 0, true
	e.note = fmt.Sprintf("paused at step %d", e.ft.step())
	return nil
}

// setTarget sets the step count training runs toward.
func (e *Engine) setTarget(steps int) error {
	if steps < 1 || steps > maxTarget {
		return fmt.Errorf("target %d steps outside 1…%d", steps, int(maxTarget))
	}
	e.ft.target, e.ft.dirty = steps, true
	if e.ft.tr != nil {
		e.ft.tr.Opt.Steps = steps
	}
	return nil
}

// setAEOnly switches between training the autoencoder alone and training it jointly with
// the refiner; it applies from the next step.
func (e *Engine) setAEOnly(aeOnly bool) error {
	e.ft.aeOnly, e.ft.dirty = aeOnly, true
	if e.ft.tr != nil {
		e.ft.tr.Opt.AEWarmup = aeWarmup(aeOnly)
	}
	return nil
}

// trainChunk runs up to reportEvery steps, reads the loss back and refreshes the preview
// when due.
func (e *Engine) trainChunk() error {
	ft := &e.ft
	if err := e.ensureTrainer(); err != nil {
		return err
	}
	tr := ft.tr
	chunk := reportEvery
	if !e.opts.CanTrain {
		chunk = 1 // CPU steps are slow: report (and yield to the page) after each
	}
	n := min(chunk, ft.stopStep()-tr.Step)
	if n <= 0 { // the target was lowered below the step count
		ft.training, ft.stopAt, ft.dirty = false, 0, true
		return nil
	}
	start := time.Now()
	for range n {
		tr.TrainStep()
	}
	ft.synced = false
	r, err := tr.Report()
	if err != nil {
		return err
	}
	ft.measure(n*tr.Opt.Batch, time.Since(start))
	if r.Steps > 0 {
		ft.losses = append(ft.losses, LossPoint{Step: r.Step, Total: r.Total})
	}
	if err := e.backupTrainer(); err != nil {
		return err
	}
	done := tr.Step >= ft.stopStep()
	if tr.Step%PreviewEvery < n || done {
		if err := e.preview(); err != nil {
			return err
		}
	}
	if done {
		ft.training, ft.stopAt, ft.dirty = false, 0, true
		e.note = fmt.Sprintf("trained to step %d", tr.Step)
	} else if tr.Step%autosaveEvery < n {
		if err := e.persist(); err != nil {
			return err
		}
	}
	if !finite(r.Total) {
		// The trainer skipped the bad steps and halved its rate: show it, keep training.
		e.fail(fmt.Errorf("step %d: the loss is not finite (%g); the learning rate is halved and training goes on", tr.Step, r.Total))
	}
	return nil
}

// preview regenerates the fixed-seed grid from the EMA weights.
func (e *Engine) preview() error {
	if err := e.syncEMA(); err != nil {
		return err
	}
	dec, ref, err := e.gen.Generate(e.b, PreviewSeed, e.snap.Steps, false)
	if err != nil {
		return err
	}
	e.ft.preview = makeGrid(dec, ref, e.model.Cfg.Image, -1)
	return nil
}
