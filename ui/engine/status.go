package engine

import (
	"fmt"

	"flowsphere/model/tensor"
)

// publish derives the state and status line from the engine's fields, hands a copy to the
// mailbox and tells the host when the status changed.
func (e *Engine) publish() {
	s := &e.snap
	prev := [2]string{s.State, s.Status}
	switch {
	case s.Error != "":
		s.State, s.Status = StateError, "error: "+s.Error
	case e.model == nil:
		s.State, s.Status = StateLoading, "loading: "+e.note
	case s.Task != "":
		s.State, s.Status = StateLoading, "loading: "+e.taskLine()
	case e.ft.training:
		s.State, s.Status = StateTraining, "training: "+e.trainingLine()
	default:
		s.State, s.Status = StateReady, "ready: "+e.note
	}
	if e.notice != "" {
		s.Status += " · " + e.notice
	}
	s.Notice = e.notice
	if e.b != nil {
		m := e.b.Memory()
		s.Buffers, s.BufferBytes = m.Buffers, m.Bytes
	}
	e.ft.fill(s)
	e.mail.store(*s)
	if h := e.opts.Host; h != nil && prev != [2]string{s.State, s.Status} {
		h.Status(s.State, s.Status)
	}
}

// trainingLine says how training goes: step, loss, speed and time left.
func (e *Engine) trainingLine() string {
	ft := &e.ft
	line := fmt.Sprintf("step %d of %d", ft.step(), ft.stopStep())
	if n := len(ft.losses); n > 0 {
		line += fmt.Sprintf(", loss %.4f", ft.losses[n-1].Total)
	}
	if ft.rate > 0 {
		line += fmt.Sprintf(", %.0f images/s, %s left", ft.rate, FormatDuration(ft.eta()))
	}
	return line
}

// describeBackend says where the model runs and why there (note), for the status line.
func describeBackend(b tensor.Backend, note string) string {
	if b == nil {
		return "no backend"
	}
	i := b.Info()
	d := i.Backend
	if i.Adapter != "" { // the browser binding names no adapter: the note does
		d += " on " + i.Adapter
	}
	if note != "" {
		d += " (" + note + ")"
	}
	return d
}
