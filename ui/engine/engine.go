package engine

import (
	"fmt"
	"time"

	"flowsphere/model/gen"
	"flowsphere/model/tensor"
)

// GridSize is the number of images in a grid, preview and walk frame (4×4).
const GridSize = 16

// walkFrameInterval paces the latent walk: faster frames would not be seen, and the time
// is better spent on the user's next command.
const walkFrameInterval = 66 * time.Millisecond

// Engine owns the backend and every model object. All of its methods run on its own
// goroutine (loop); other goroutines only push commands and read the mailbox.
type Engine struct {
	opts Options
	b    tensor.Backend
	q    *queue
	mail mailbox
	done chan struct{} // closed when loop has returned

	snap   Frame  // the working copy that publish hands to the mailbox
	note   string // what happened last, for the status line
	closed bool   // Close was processed: loop ends

	model  *gen.Model     // the model images are generated from (the EMA while fine-tuning)
	gen    *gen.Generator // batch GridSize
	pts    *tensor.Tensor // sphere points uploaded for walks and neighbours: [GridSize, L]
	points []float32      // host copy of the current grid's sphere points: [GridSize·L]
	draws  uint64         // neighbour draws so far: each click gets new directions
	walk   *walker        // non-nil while the latent walk runs
	walkAt time.Time      // when the last walk frame began
	// lastGrid is how long the last generated grid took (0: none yet), which decides
	// whether the next shows its passes as they run (task.go).
	lastGrid time.Duration

	ft fineTune

	backup backup    // the host copy a lost device is recovered from (recover.go)
	lostAt time.Time // when the device was last lost
	notice string    // what the last recovery did, for the status line until the next command
}

// startEngine starts the engine goroutine; it loads the weights first.
func startEngine(opts Options) *Engine {
	e := &Engine{opts: opts, b: opts.Backend, q: newQueue(), done: make(chan struct{})}
	e.snap.State = StateLoading
	e.snap.View = ViewSamples
	e.snap.CanTrain = opts.CanTrain
	e.snap.Backend = describeBackend(opts.Backend, opts.BackendNote)
	e.ft.reset()
	e.note = "loading weights"
	e.publish()
	e.push(command{run: (*Engine).start})
	if opts.Files != nil {
		go e.forward(opts.Files)
	}
	go e.loop()
	return e
}

// push queues c; it never blocks.
func (e *Engine) push(c command) { e.q.push(c) }

// forward hands files from the page's file input to the engine, batching those that
// arrive together so one pick of many files is one command.
func (e *Engine) forward(files <-chan File) {
	for f := range files {
		batch := []File{f}
	more:
		for {
			select {
			case g, ok := <-files:
				if !ok {
					break more
				}
				batch = append(batch, g)
			default:
				break more
			}
		}
		e.push(command{run: func(e *Engine) error { return e.drop(batch) }})
	}
}

// loop runs commands, training chunks and walk frames until Close. Commands go first, then
// the state is stored once the engine has nothing else to do; a walk goes on during
// training, a frame between chunks.
func (e *Engine) loop() {
	defer close(e.done)
	for {
		for _, c := range e.q.take() {
			e.command(c)
		}
		switch {
		case e.closed:
			if e.ft.dirty || e.ft.training { // closing the window keeps the work
				e.step((*Engine).persist)
			}
			e.free()
			return
		case e.ft.dirty && !e.ft.training:
			e.step((*Engine).persist)
		case !e.ft.training && e.walk == nil:
			<-e.q.wake
		default:
			e.animate()
		}
	}
}

// animate runs a training chunk and, when due, a walk frame; a walk alone waits for its
// next frame or a command.
func (e *Engine) animate() {
	if e.ft.training {
		e.step((*Engine).trainChunk)
	}
	if e.walk == nil {
		return
	}
	if wait := walkFrameInterval - time.Since(e.walkAt); wait > 0 {
		if !e.ft.training {
			select {
			case <-e.q.wake:
			case <-time.After(wait):
			}
		}
		return
	}
	e.walkAt = time.Now()
	e.step((*Engine).walkFrame)
}

// command runs a user's command: its success clears the previous error. A lost device is
// recovered from and the command runs again (attempt).
func (e *Engine) command(c command) {
	defer e.q.done()
	e.notice = ""
	if err := e.attempt(c.run); err != nil {
		e.fail(err)
	} else {
		e.snap.Error = ""
	}
	e.publish()
	yieldToHost()
}

// step runs the engine's own work (a training chunk, a walk frame, storing the state): an
// error is shown and stops all such work, which may depend on what failed; a success does
// not hide an earlier error. A lost device is recovered from and the work goes on.
func (e *Engine) step(fn func(e *Engine) error) {
	if err := e.attempt(fn); err != nil {
		e.fail(err)
		e.ft.training, e.ft.dirty, e.walk = false, false, nil
	}
	e.publish()
	yieldToHost()
}

// safely runs fn, turning a panic (a backend failing in a way it did not report) into an
// error so that the app keeps running.
func safely(e *Engine, fn func(e *Engine) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	return fn(e)
}

// fail shows err. Whatever was there before stays.
func (e *Engine) fail(err error) { e.snap.Error = err.Error() }

// free releases every model object and the backend.
func (e *Engine) free() {
	e.dropTrainer()
	e.dropModel()
	if e.b != nil {
		e.b.Close()
	}
}
