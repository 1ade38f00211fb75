package engine

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
)

// losingBackend is the CPU backend posing as a GPU whose device can be lost: from lose() on,
// Download and Flush fail and Lost reports the loss, as the WebGPU backend does after a GPU
// reset or device.destroy() in the browser.
type losingBackend struct {
	tensor.Backend
	lost atomic.Bool
}

// errTestLoss is the loss a losingBackend reports.
var errTestLoss = errors.New("test device destroyed")

func (b *losingBackend) lose() { b.lost.Store(true) }

func (b *losingBackend) Info() tensor.DeviceInfo {
	return tensor.DeviceInfo{Backend: "testgpu", Adapter: "a losable device"}
}

func (b *losingBackend) Lost() error {
	if b.lost.Load() {
		return fmt.Errorf("%w (%w)", tensor.ErrDeviceLost, errTestLoss)
	}
	return nil
}

func (b *losingBackend) Download(t *tensor.Tensor) ([]float32, error) {
	if err := b.Lost(); err != nil {
		return nil, err
	}
	return b.Backend.Download(t)
}

func (b *losingBackend) Flush() error {
	if err := b.Lost(); err != nil {
		return err
	}
	return b.Backend.Flush()
}

// devices hands out losingBackends and remembers them: the app's first one and every one
// that Reopen opens.
type devices struct {
	mu   sync.Mutex
	list []*losingBackend
}

func (d *devices) open() (tensor.Backend, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b := &losingBackend{Backend: cpu.New()}
	d.list = append(d.list, b)
	return b, nil
}

// loseCurrent loses the device that the app uses now, the last one opened.
func (d *devices) loseCurrent() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.list[len(d.list)-1].lose()
}

// newLosingApp starts an app on a losable device that Reopen replaces, with fine-tune
// images, and returns it with its devices.
func newLosingApp(t *testing.T, h Host) (*Engine, *devices) {
	t.Helper()
	d := &devices{}
	first, _ := d.open()
	a := Start(Options{Backend: first, BackendNote: "test", CanTrain: true, Weights: tinyWeights(t, 3, nil),
		WeightsName: "tiny.safetensors.zst", Host: h, Loops: 2, Reopen: d.open})
	t.Cleanup(a.Close)
	settle(t, a)
	a.AddFiles([]File{pngFile(t, 0), pngFile(t, 1), pngFile(t, 2)})
	settle(t, a)
	return a, d
}

// TestDeviceLossMidTraining loses the device while fine-tuning, once or twice in a row: the
// engine opens a new device (after a second loss within a minute, the CPU backend), resumes
// from the last reported step with every image, finishes the run, says what happened in the
// status line, and generates again.
func TestDeviceLossMidTraining(t *testing.T) {
	const steps = 40
	for _, c := range []struct {
		name    string
		losses  int
		backend string // what the app runs on in the end
		notice  string
	}{
		{"once", 1, "testgpu", "recovered from a lost GPU device"},
		{"twice", 2, "cpu", "lost twice within a minute: running on the CPU"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHost()
			a, d := newLosingApp(t, h)
			a.Train(steps)
			reached := waitFor(t, a, "ten steps", func(s StateSnapshot) bool { return s.Step >= 10 }).Step
			for i := range c.losses {
				d.loseCurrent()
				s := waitFor(t, a, "a recovery", func(s StateSnapshot) bool { return s.DeviceLosses > i || s.Error != "" })
				if s.Error != "" || s.ResumedStep < reached || s.Images != 3 {
					t.Fatalf("after loss %d the app resumed at step %d (reached %d) with %d images: %+v", i+1, s.ResumedStep, reached, s.Images, s)
				}
				reached = s.ResumedStep
			}
			s := waitFor(t, a, "the end of the run", func(s StateSnapshot) bool {
				return s.Step == steps && !s.Busy && s.State != StateTraining || s.Error != ""
			})
			if s.Error != "" || !strings.HasPrefix(s.Backend, c.backend) || s.Images != 3 || !strings.Contains(s.Notice, c.notice) {
				t.Fatalf("after the run: %+v", s)
			}
			if !h.saw(c.notice) {
				t.Errorf("the status line never said %q", c.notice)
			}
			a.Generate(5, 1)
			if s := waitFor(t, a, "a grid", func(g StateSnapshot) bool { return g.Grids > s.Grids && !g.Busy || g.Error != "" }); s.State != StateReady || s.Notice != "" {
				t.Fatalf("after generating: %+v", s)
			}
		})
	}
}

// TestDeviceLossWhileIdle loses the device between commands: the next command finds the
// loss, the engine recovers and runs that command on the new device.
func TestDeviceLossWhileIdle(t *testing.T) {
	a, d := newLosingApp(t, newHost())
	before := a.State()
	d.loseCurrent()
	a.Generate(9, 2)
	s := waitFor(t, a, "a grid", func(s StateSnapshot) bool { return s.Grids > before.Grids && !s.Busy || s.Error != "" })
	if s.State != StateReady || s.DeviceLosses != 1 || s.Seed != 9 || s.Images != 3 || !strings.HasPrefix(s.Backend, "testgpu") {
		t.Fatalf("after a loss and a new grid: %+v", s)
	}
}
