package engine

import "flowsphere/model/tensor"

// Page states, shown in the page's #status element (data-state) and the app's status line.
const (
	StateLoading  = "loading"
	StateReady    = "ready"
	StateTraining = "training"
	StateError    = "error"
)

// Host is what the platform — the browser page or the desktop — gives the app. The engine
// calls its methods from the engine goroutine, one call at a time.
type Host interface {
	// Status reports the app's state (one of the State constants) and a sentence saying
	// what is happening, e.g. "ready: WebGPU on SwiftShader, 2.1 M parameters".
	Status(state, text string)
	// Download hands a file to the user: a browser download, or a file written next to the
	// program on the desktop.
	Download(name string, data []byte) error
	// Store is persistent storage that survives a reload (IndexedDB/OPFS in the browser,
	// a folder on the desktop).
	Store() Store
}

// Store is a small persistent key-value store for weights and training state.
type Store interface {
	// Get returns the value of key, or (nil, nil) when there is none.
	Get(key string) ([]byte, error)
	Put(key string, data []byte) error
	Delete(key string) error
}

// File is a file the user gave the app: dropped on the canvas or picked with the page's
// file input.
type File struct {
	Name string
	Data []byte
}

// Options start the app.
type Options struct {
	Backend     tensor.Backend // the app's from now on: Close closes it
	BackendNote string         // how the backend was chosen, e.g. "no WebGPU in this browser: CPU backend"
	CanTrain    bool           // false offers training only with a warning (no WebGPU)
	Weights     []byte         // the weight file to start with (.safetensors.zst); none: a fresh small model
	WeightsName string         // its path or URL, named in errors; the model is called by its last element
	WeightsErr  error          // why the host could not get Weights (an HTTP error, a network failure), if so
	Loops       int            // encode→decode loops before each decode (gen.Generator.Loops); 0: the model's (gen.Model.Loops)
	Host        Host           // may be nil (tests): no status, downloads or storage
	Files       <-chan File    // files from outside the canvas (the page's file input); may be nil
	// DefaultWeights gets the app's default weight file, loaded when Weights could not be
	// had or do not load; nil when Weights are the default.
	DefaultWeights func() (name string, data []byte, err error)
	// Reopen opens a new backend of Backend's kind after its device was lost; the engine
	// owns what it returns. Nil, or its failure, sends a lost device to the CPU backend.
	Reopen func() (tensor.Backend, error)
}
