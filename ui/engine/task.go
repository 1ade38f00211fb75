package engine

import (
	"fmt"
	"time"
)

// slowGrid is how long a grid takes before its generation shows each network pass as it
// runs: waiting for each pass costs a device round trip, which a quick grid cannot spare,
// and its passes would only flash by.
const slowGrid = time.Second

// startTask begins generating a grid with steps refinement steps: the status line and the
// game follow its passes (StateSnapshot.Task).
func (e *Engine) startTask(steps int) {
	e.snap.Task, e.snap.TaskDone, e.snap.TaskTotal = TaskDecoding, 0, e.gen.Passes(steps, false)
	e.gen.Progress = e.passDone
	e.publish()
	yieldToHost()
}

// passDone is the generator's Progress hook: it shows that done passes have run. On a
// device backend the passes are only recorded by then, so when grids are slow (or none was
// drawn yet) it waits for the device with a readback (the generation's own readback
// reports a failure) and lets the page draw; quick grids only publish.
func (e *Engine) passDone(done int) {
	slow := e.lastGrid == 0 || e.lastGrid > slowGrid
	if slow {
		if _, err := e.b.Download(e.pts); err != nil {
			return
		}
	}
	e.snap.TaskDone = done
	e.publish()
	if slow {
		yieldFrame()
	} else {
		yieldToHost()
	}
}

// endTask ends the generation, which took took.
func (e *Engine) endTask(took time.Duration) {
	e.snap.Task, e.snap.TaskDone, e.snap.TaskTotal = "", 0, 0
	e.gen.Progress = nil
	e.lastGrid = took
}

// taskLine says how far the grid's generation is, for the status line.
func (e *Engine) taskLine() string {
	s := &e.snap
	what := "encode→decode loops"
	if s.Loops == 0 { // the first pass decodes the drawn points, no loop follows
		what = "decoding"
	}
	if s.Task == TaskRefining {
		what = "refining (the AE decodes are shown)"
	}
	line := fmt.Sprintf("generating %d images: step %d of %d, %s", GridSize, s.TaskDone, s.TaskTotal, what)
	if s.TaskDone == 0 && s.Grids == 0 && e.b.Info().Backend == "webgpu" {
		line = "compiling the WebGPU kernels, then " + line
	}
	return line
}
