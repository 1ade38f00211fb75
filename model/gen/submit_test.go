package gen

import (
	"testing"

	"flowsphere/model/webgpu/webgputest"
)

// TestOneSubmissionPerReadback checks that on WebGPU a generation submits only at its two
// readbacks, the decodes and the refined images: the encode→decode loops and every refiner
// call, with the time embedding each one uploads, are recorded into those two submissions.
func TestOneSubmissionPerReadback(t *testing.T) {
	dev := webgputest.Open(t)
	m, err := New(dev, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Free(dev)
	m.Loops = 2
	g := m.NewGenerator(dev, 4)
	defer g.Free(dev)
	for _, steps := range []int{0, 1, 4} {
		before := dev.WorkCounts()
		if _, _, err := g.Generate(dev, 7, steps, false); err != nil {
			t.Fatal(err)
		}
		if err := dev.Flush(); err != nil {
			t.Fatal(err)
		}
		w := dev.WorkCounts().Sub(before)
		if w.Readbacks != 2 || w.Submissions != 2 {
			t.Errorf("%d steps (%d refiner calls): %d submissions and %d readbacks, want 2 and 2", steps, g.Calls(), w.Submissions, w.Readbacks)
		}
	}
}
