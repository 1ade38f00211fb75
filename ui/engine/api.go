package engine

import "math/rand/v2"

// Refinement steps the app offers.
const (
	MinSteps = 0
	MaxSteps = 8
)

// Start starts an engine with opts: it loads opts.Weights (or initialises a fresh model),
// restores the fine-tune kept in the host's store and generates a first grid.
func Start(opts Options) *Engine { return startEngine(opts) }

// State returns the latest published state.
func (e *Engine) State() StateSnapshot { return e.Frame().StateSnapshot }

// Frame returns the latest published frame: the state and the images to draw.
func (e *Engine) Frame() Frame {
	f := e.mail.load()
	f.Busy = e.q.busy()
	return f
}

// FrameIfNew returns the latest frame and its number if it is newer than frame number
// seq, so a game can skip unchanged frames.
func (e *Engine) FrameIfNew(seq uint64) (Frame, uint64, bool) {
	f, n, ok := e.mail.loadIfNew(seq)
	f.Busy = e.q.busy()
	return f, n, ok
}

// Busy reports whether commands are queued or running.
func (e *Engine) Busy() bool { return e.q.busy() }

// Generate makes a new grid from seed with steps refinement steps (clamped to 0…8).
func (e *Engine) Generate(seed uint64, steps int) {
	steps = min(MaxSteps, max(MinSteps, steps))
	e.push(command{view: true, run: func(e *Engine) error { return e.generate(seed, steps) }})
}

// RandomSeed is a fresh seed for Generate.
func RandomSeed() uint64 { return rand.Uint64() >> 12 } // short enough to read and type

// Walk starts (on) or stops an animated latent walk from the current grid's points.
func (e *Engine) Walk(on bool) {
	e.push(command{view: true, run: func(e *Engine) error { return e.setWalk(on) }})
}

// Neighbours shows image index of the current grid beside random neighbours at the given
// angle in degrees on the sphere.
func (e *Engine) Neighbours(index int, degrees float64) {
	e.push(command{view: true, run: func(e *Engine) error { return e.neighbours(index, degrees) }})
}

// LoadWeights loads a weight file as the model. A corrupt file or one of another model
// leaves the current model in place and reports why.
func (e *Engine) LoadWeights(name string, data []byte) {
	e.push(command{run: func(e *Engine) error { return e.loadUserWeights(name, data) }})
}

// LoadFailed reports that a weight file could not be had (err names it and says why: an
// HTTP error, a network failure); the current model stays, and the error says so.
func (e *Engine) LoadFailed(err error) {
	e.push(command{run: func(e *Engine) error { return e.kept(err) }})
}

// AddFiles adds fine-tune images. A file that is not a usable image (not an image, empty,
// too large) is skipped and named in the error; the others are added.
func (e *Engine) AddFiles(files []File) {
	e.push(command{run: func(e *Engine) error { return e.addFiles(files) }})
}

// Drop does what dropping files on the canvas does: a weight file (.safetensors.zst) is
// loaded as the model, other files are added as fine-tune images.
func (e *Engine) Drop(files []File) {
	e.push(command{run: func(e *Engine) error { return e.drop(files) }})
}

// Fail shows an error that arose outside the engine, such as reading dropped files.
func (e *Engine) Fail(err error) {
	e.push(command{run: func(*Engine) error { return err }})
}

// Train fine-tunes on the added images for steps more steps, or up to the target step count
// when steps ≤ 0, then pauses. It trains on whatever backend there is: asking the user
// before training on the CPU (Options.CanTrain false) is the game's job.
func (e *Engine) Train(steps int) {
	e.push(command{run: func(e *Engine) error { return e.train(steps) }})
}

// Pause stops training; the state is stored so a reload continues from here.
func (e *Engine) Pause() {
	e.push(command{run: func(e *Engine) error { return e.pause() }})
}

// SetTarget sets the step count the progress bar and the learning-rate schedule run toward.
func (e *Engine) SetTarget(steps int) {
	e.push(command{run: func(e *Engine) error { return e.setTarget(steps) }})
}

// SetAEOnly makes fine-tuning train the autoencoder alone (true) or jointly with the
// refiner (false, the default).
func (e *Engine) SetAEOnly(aeOnly bool) {
	e.push(command{run: func(e *Engine) error { return e.setAEOnly(aeOnly) }})
}

// Save downloads the fine-tuned EMA weights through Host.Download and stores the whole
// fine-tune state through Host.Store.
func (e *Engine) Save() {
	e.push(command{run: func(e *Engine) error { return e.save() }})
}

// Reset forgets the fine-tune state, its images and the stored copy, and reloads the
// default weights.
func (e *Engine) Reset() {
	e.push(command{run: func(e *Engine) error { return e.reset() }})
}

// Close stops the engine after the commands queued so far and releases the model and the
// backend (Options.Backend belongs to the engine once Start is called). It waits for that;
// the engine must not be used afterwards.
func (e *Engine) Close() {
	e.push(command{run: func(e *Engine) error { e.closed = true; return nil }})
	<-e.done
}
