package engine

// StateSnapshot is the app's state for automation and the page's status element. It is a
// copy: reading it never races with the engine. It encodes to JSON as is.
type StateSnapshot struct {
	State   string `json:"state"`   // StateLoading, StateReady, StateTraining or StateError
	Status  string `json:"status"`  // the status line: what is happening
	Error   string `json:"error"`   // the last error; cleared by the next command that succeeds
	Busy    bool   `json:"busy"`    // commands are queued or running
	Backend string `json:"backend"` // where the model runs and how that was chosen
	Model   string `json:"model"`   // name of the weights in use
	Config  string `json:"config"`  // model config name, e.g. "small"
	Params  int    `json:"params"`  // parameter count

	Seed  uint64  `json:"seed"`  // seed of the current grid
	Steps int     `json:"steps"` // refinement steps of the current grid
	Loops int     `json:"loops"` // encode→decode loops before each decode
	View  string  `json:"view"`  // what the grid shows: "samples", "walk" or "neighbours"
	Angle float64 `json:"angle"` // the neighbours' angle in degrees, in a neighbours view
	Grids int     `json:"grids"` // grids produced so far (walk frames count): tests wait on it

	Task      string `json:"task"`       // TaskDecoding or TaskRefining while a grid is generated, else ""
	TaskDone  int    `json:"task_done"`  // the generation's network passes done (gen.Generator.Progress)
	TaskTotal int    `json:"task_total"` // and in all

	Images       int      `json:"images"`         // fine-tune images
	Step         int      `json:"step"`           // fine-tune steps taken
	Target       int      `json:"target"`         // step count training runs toward
	Loss         *float64 `json:"loss"`           // last reported total loss; null before any or if not finite
	ImagesPerSec float64  `json:"images_per_sec"` // training throughput
	ETASeconds   float64  `json:"eta_seconds"`    // time until training pauses, at that rate
	AEOnly       bool     `json:"ae_only"`        // fine-tuning trains the autoencoder alone
	Saved        string   `json:"saved"`          // name of the last file handed to Host.Download

	DeviceLosses int    `json:"device_losses"` // GPU device losses recovered from (recover.go)
	ResumedStep  int    `json:"resumed_step"`  // the fine-tune step the last recovery resumed from
	Notice       string `json:"notice"`        // what the last recovery did, until the next command
	Buffers      int    `json:"buffers"`       // the backend's live device buffers, pooled ones included
	BufferBytes  int64  `json:"buffer_bytes"`  // their size
}

// Views the grid shows.
const (
	ViewSamples    = "samples"
	ViewWalk       = "walk"
	ViewNeighbours = "neighbours"
)

// The parts of generating a grid (StateSnapshot.Task). While refining, the grid already
// shows the new decodes, and its Refined images are still to come.
const (
	TaskDecoding = "decoding"
	TaskRefining = "refining"
)

// Grid is a set of generated images ready for the screen: each image is RGBA bytes,
// Size×Size×4, opaque.
type Grid struct {
	Size    int
	Decoded [][]byte // AE decode of each sphere point
	Refined [][]byte // the same after refinement; none while they are refined
	Centre  int      // index of the chosen image in a neighbours view, else -1
}

// LossPoint is one training report, for the loss plot.
type LossPoint struct {
	Step  int
	Total float64
}

// Frame is everything the engine publishes: the automation state plus what the screen
// draws. The engine never changes a slice after publishing it, so a Frame may be read
// while the engine goes on.
type Frame struct {
	StateSnapshot
	Grid      Grid        // the explore view
	Preview   Grid        // fixed-seed samples from the fine-tuning EMA
	Thumbs    [][]byte    // fine-tune images as RGBA, ImageSize square
	ImageSize int         // side of the model's images in pixels
	Losses    []LossPoint // loss history of this fine-tune
	CanTrain  bool        // training runs on a GPU (else it needs the user's consent)
}
