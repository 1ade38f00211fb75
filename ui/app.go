// The App automation API. The wasm host binds these methods to window.flowsphere.* and the
// browser tests call them; the Ebiten game uses the same methods for its buttons. Every
// method except Run, RunScreenshot and Close is safe to call from any goroutine and returns
// at once: commands are queued for the engine goroutine (package engine) and their effect
// shows up in State().
//
//	New(opts) *App                  start the engine: load opts.Weights, restore the stored
//	                                fine-tune state, generate a first grid
//	Run() error                     run the Ebiten game (blocks until the window closes)
//	RunScreenshot(path, frames)     run it until the first grid is shown and frames more
//	                                frames have passed, write a PNG of the screen, return
//	State() StateSnapshot           the latest state, JSON-able (state, step, loss, …)
//	Frame() Frame                   the latest published frame: the state and the images to draw
//	FrameIfNew(seq) (Frame, n, ok)  the latest frame and its number n if newer than number seq
//	Busy() bool                     whether commands are queued or running
//	Generate(seed, steps)           a grid from seed with steps refinement steps (0…8)
//	Walk(on)                        start/stop the animated latent walk
//	Neighbours(index, degrees)      neighbours of grid image index at an angle
//	LoadWeights(name, data)         load a .safetensors.zst file as the model
//	LoadFailed(err)                 report a weight file that could not be had; the model stays
//	AddFiles(files)                 add fine-tune images (a bad file is skipped, named in Error)
//	Drop(files)                     what dropping files does: weight files load, images are added
//	Fail(err)                       show an error that arose outside the engine (reading files)
//	Train(steps)                    fine-tune steps more steps (≤ 0: up to the target), then pause
//	Pause()                         stop training after the current step
//	SetTarget(steps) / SetAEOnly(b) the progress bar's step count / train the autoencoder alone
//	Save()                          download the EMA weights (F16) and store the full state
//	Reset()                         forget the fine-tune state and images; back to opts.Weights
//	Close()                         stop the engine and release the backend
//
// A command that fails sets state "error" with the message in Error and Status; what was
// there before (model, grid, images, training state) stays.

package ui

import "flowsphere/ui/engine"

// Refinement steps the app offers.
const (
	MinSteps = engine.MinSteps
	MaxSteps = engine.MaxSteps
)

// StateSnapshot is the app's state for automation (see engine.StateSnapshot).
type StateSnapshot = engine.StateSnapshot

// App is the flowsphere app: its engine, whose methods it offers, and the Ebiten game that
// Run shows.
type App struct {
	*engine.Engine
}

// New starts the app's engine with opts. Nothing is drawn until Run.
func New(opts Options) *App { return &App{engine.Start(opts)} }

// RandomSeed is a fresh seed for Generate.
func RandomSeed() uint64 { return engine.RandomSeed() }
