package perf

import (
	"fmt"

	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// GenShape is a generation workload: one Generate call of a weight file's model — its own
// encode→decode loops (gen.Model.Loops) and prior — for Batch images refined in Steps Heun
// steps, both images read back, as the app's first grid does.
type GenShape struct {
	Batch, Steps int
}

// FirstGrid is the app's first grid: 16 images at N = 4.
var FirstGrid = GenShape{Batch: 16, Steps: 4}

// Name is the workload's label, e.g. "b16/N4".
func (s GenShape) Name() string { return fmt.Sprintf("b%d/N%d", s.Batch, s.Steps) }

// Generation prepares s on b for the model in f and returns it with the model's loop count.
// Its FLOPs are the model FLOPs of one call, counted on its first (warm-up) call; Images is
// the batch; Work, on a backend that counts its work, that of one call.
func Generation(b tensor.Backend, f *weights.File, s GenShape) (w *Workload, loops int, err error) {
	counter := &FLOPCounter{Backend: b}
	m, err := gen.Open(counter, f)
	if err != nil {
		return nil, 0, err
	}
	g := m.NewGenerator(counter, s.Batch)
	seed := uint64(0)
	run := func() {
		seed++
		if _, _, err := g.Generate(counter, seed, s.Steps, false); err != nil {
			panic(fmt.Sprintf("perf: generation failed: %v", err)) // a device failure mid-benchmark
		}
	}
	run()
	w = &Workload{FLOPs: counter.FLOPs, Images: s.Batch, b: b, sync: b.New(1), Run: run}
	w.Free = func() {
		g.Free(b)
		m.Free(b)
		b.Free(w.sync)
	}
	if err := w.countWork(); err != nil {
		w.Free()
		return nil, 0, err
	}
	return w, m.Loops, nil
}
