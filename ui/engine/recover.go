package engine

import (
	"errors"
	"fmt"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/model/train"
	"flowsphere/weights"
)

// Device-loss recovery. A GPU reset, a driver update or the browser reclaiming the GPU takes
// every tensor with it. The engine keeps on the host what it needs to rebuild its model
// objects (backup): the installed model's weight file and, from each loss report on, the
// fine-tune trainer's weights, EMA and step. When a command or a training chunk fails and
// the backend says its device is lost, the engine opens a new backend (Options.Reopen),
// rebuilds the model and the trainer from that copy and runs the interrupted work again;
// fine-tune images, grids and the loss history are host data and stay. A second loss within
// lossWindow of the first goes to the CPU backend instead: a device that keeps getting lost
// is not worth more tries.

// lossWindow is how soon after a loss a second one falls back to the CPU backend.
const lossWindow = time.Minute

// backup is the host copy that rebuilding the model objects needs.
type backup struct {
	model   *weights.File  // the installed model as a weight file (nil before the first)
	trainer *trainerBackup // the fine-tune at its last report; nil without one
}

// trainerBackup is a trainer's state on the host. Its weights are weight files, not
// arenas: arenas are laid out for one backend (WebGPU aligns each tensor, the CPU does not).
type trainerBackup struct {
	step    int
	lrScale float64
	opt     train.Options
	weights *weights.File // the trainer's weights
	ema     *weights.File // its EMA
}

// backupModel keeps src, the weight file m was opened from, as the model's host copy; with
// none (a freshly initialised model) it downloads m's weights.
func (e *Engine) backupModel(m *gen.Model, src *weights.File) error {
	e.backup = backup{model: src}
	if src != nil {
		return nil
	}
	f, err := m.ToFile(e.b, m.Params.Values, nil)
	if err != nil {
		return err
	}
	e.backup.model = f
	return nil
}

// backupTrainer downloads the trainer's weights and EMA, after each loss report: a loss
// resumes from there.
func (e *Engine) backupTrainer() error {
	tr := e.ft.tr
	w, err := tr.M.ToFile(e.b, tr.M.Params.Values, nil)
	if err != nil {
		return err
	}
	ema, err := tr.M.ToFile(e.b, tr.EMA(), nil)
	if err != nil {
		return err
	}
	e.backup.trainer = &trainerBackup{step: tr.Step, lrScale: tr.LRScale, opt: tr.Opt, weights: w, ema: ema}
	return nil
}

// attempt runs fn, and when the backend's device was lost meanwhile, recovers and runs fn
// again on the new backend, so that the interrupted command or chunk goes on; a new device
// lost during the recovery is recovered from in turn. It ends: a second loss within
// lossWindow lands on the CPU backend, which is never lost.
func (e *Engine) attempt(fn func(e *Engine) error) error {
	err := safely(e, fn)
	for lost := e.deviceLoss(err); lost != nil; lost = e.deviceLoss(err) {
		if err = safely(e, func(e *Engine) error { return e.recoverDevice(lost) }); err == nil {
			err = safely(e, fn)
		}
	}
	return err
}

// deviceLoss returns the device loss behind err, the failure of a command, or nil: the
// backend's own report, or err itself when it wraps tensor.ErrDeviceLost.
func (e *Engine) deviceLoss(err error) error {
	if err == nil {
		return nil
	}
	if r, ok := e.b.(tensor.LossReporter); ok {
		if lost := r.Lost(); lost != nil {
			return lost
		}
	}
	if errors.Is(err, tensor.ErrDeviceLost) {
		return err
	}
	return nil
}

// recoverDevice replaces the lost backend and rebuilds the model objects on the new one.
func (e *Engine) recoverDevice(lost error) error {
	now := time.Now()
	again := !e.lostAt.IsZero() && now.Sub(e.lostAt) < lossWindow
	e.lostAt = now
	e.abandon()
	e.note = fmt.Sprintf("%v: opening a new device and restoring the model from memory", lost)
	e.publish()

	var next tensor.Backend
	var why string
	switch {
	case again:
		why = "the GPU device was lost twice within a minute"
	case e.opts.Reopen == nil:
		why = "the GPU device was lost"
	default:
		b, err := e.opts.Reopen()
		if err == nil {
			next = b
		} else {
			why = fmt.Sprintf("the GPU device was lost and a new one did not open (%v)", err)
		}
	}
	note := e.opts.BackendNote
	if next == nil {
		next, note = cpu.New(), "the GPU was lost"
		e.snap.CanTrain = false
	}
	e.b = next
	e.snap.Backend = describeBackend(next, note)
	if err := e.rebuild(); err != nil {
		return fmt.Errorf("%v; rebuilding the model on %s failed: %w", lost, e.snap.Backend, err)
	}
	e.snap.DeviceLosses++
	switch {
	case why != "":
		e.notice = why + ": running on the CPU from now on, which is much slower"
	case e.ft.tr != nil:
		e.notice = fmt.Sprintf("recovered from a lost GPU device: a new one runs the fine-tune from step %d", e.ft.tr.Step)
	default:
		e.notice = "recovered from a lost GPU device: a new one runs the model"
	}
	return nil
}

// abandon forgets the model objects of the lost device and closes its backend.
func (e *Engine) abandon() {
	if tr := e.ft.tr; tr != nil {
		freeTrainer(e.b, tr)
		e.ft.tr = nil
	}
	e.freeModel()
	e.b.Close()
}

// rebuild makes the model and the trainer again from the backup, on the new backend.
func (e *Engine) rebuild() error {
	if e.backup.model == nil { // lost before the first model: the start command loads one
		return nil
	}
	m, err := gen.Open(e.b, e.backup.model)
	if err != nil {
		return err
	}
	e.attach(m)
	e.ft.synced = true
	t := e.backup.trainer
	if t == nil {
		return nil
	}
	if err := m.LoadValues(e.b, t.ema, m.Params.Values); err != nil {
		return err
	}
	values := e.b.New(m.Params.Size)
	defer e.b.Free(values)
	if err := m.LoadValues(e.b, t.weights, values); err != nil {
		return err
	}
	tr, err := e.makeTrainer(values, m.Params.Values, t.step, t.lrScale, t.opt)
	if err != nil {
		return err
	}
	// The model holds the EMA; a sphere prior is refitted at the next sync.
	e.ft.tr, e.ft.synced = tr, false
	e.snap.ResumedStep = t.step
	return nil
}
