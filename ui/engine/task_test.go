package engine

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"flowsphere/model/cpu"
)

// frameHost is a fakeHost that also keeps the frame published with each status line.
type frameHost struct {
	*fakeHost
	app    atomic.Pointer[Engine] // set once the engine runs; frames before are not kept
	mu     sync.Mutex
	frames []Frame
}

func (h *frameHost) Status(state, text string) {
	h.fakeHost.Status(state, text)
	if a := h.app.Load(); a != nil {
		f := a.Frame() // published just before the status
		h.mu.Lock()
		h.frames = append(h.frames, f)
		h.mu.Unlock()
	}
}

// TestGenerateProgress: a grid's generation shows each of its network passes in the status
// line, from 0 to all, and shows its decodes before they are refined.
func TestGenerateProgress(t *testing.T) {
	h := &frameHost{fakeHost: newHost()}
	a := newApp(t, h)
	settle(t, a)
	h.app.Store(a)
	a.Generate(5, 2)
	s := settle(t, a)
	if s.Task != "" || s.TaskTotal != 0 {
		t.Errorf("after the grid the task is %q (%d of %d)", s.Task, s.TaskDone, s.TaskTotal)
	}
	const passes = 1 + 2 + 3 // the first decode, 2 loops, 3 refiner calls of 2 Heun steps
	for done := range passes + 1 {
		if line := fmt.Sprintf("loading: generating %d images: step %d of %d", GridSize, done, passes); !h.saw(line) {
			t.Errorf("no status line says %q", line)
		}
	}
	final := a.Frame().Grid
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, f := range h.frames {
		if f.Task != TaskRefining {
			continue
		}
		if len(f.Grid.Decoded) != GridSize || len(f.Grid.Refined) != 0 || !bytes.Equal(f.Grid.Decoded[7], final.Decoded[7]) {
			t.Fatalf("while refining the grid has %d decodes and %d refined images; want the final grid's %d decodes alone",
				len(f.Grid.Decoded), len(f.Grid.Refined), GridSize)
		}
		return
	}
	t.Fatal("no frame was published while refining")
}

// TestTaskLine: the status line names the pass under way; with no loops the first pass is
// the decode of the drawn points, not a loop.
func TestTaskLine(t *testing.T) {
	for _, c := range []struct {
		loops int
		task  string
		want  string
	}{
		{2, "", "generating 16 images: step 1 of 6, encode→decode loops"},
		{0, "", "generating 16 images: step 1 of 6, decoding"},
		{0, TaskRefining, "generating 16 images: step 1 of 6, refining (the AE decodes are shown)"},
	} {
		e := &Engine{b: cpu.New()}
		e.snap.Loops, e.snap.Task, e.snap.TaskDone, e.snap.TaskTotal, e.snap.Grids = c.loops, c.task, 1, 6, 1
		if got := e.taskLine(); got != c.want {
			t.Errorf("loops %d, task %q: %q, want %q", c.loops, c.task, got, c.want)
		}
	}
}
