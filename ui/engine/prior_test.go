package engine

import (
	"bytes"
	"math"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/model/prior"
	"flowsphere/weights"
)

// tinyPriorWeights is a freshly initialised tiny model with a sphere prior fitted to its own
// encodings of the test images, as weight file bytes.
func tinyPriorWeights(t *testing.T) []byte {
	t.Helper()
	cfg, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	defer b.Close()
	m, err := gen.New(b, cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	l := cfg.L()
	pts := make([][]float32, 40)
	for i := range pts {
		pts[i] = make([]float32, l)
		for j := range pts[i] {
			pts[i][j] = float32(math.Cos(float64(3*i+j))) * float32(1+i%3)
		}
	}
	if m.Prior, _, err = prior.Fit(pts, prior.DefaultFitOptions()); err != nil {
		t.Fatal(err)
	}
	m.Loops, m.Temperature = 0, 0.9
	f, err := m.ToFile(b, m.Params.Values, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := weights.Write(&buf, f, weights.F16); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFineTunePrior fine-tunes a model that has a sphere prior: the saved file carries a
// prior refitted to the fine-tune images, and a new app on the same store restores it (the
// same images from a seed), with the file's loop count and temperature.
func TestFineTunePrior(t *testing.T) {
	h := newHost()
	start := func() *Engine {
		a := Start(Options{Backend: cpu.New(), BackendNote: "test", CanTrain: true, Weights: tinyPriorWeights(t), WeightsName: "prior.safetensors.zst", Host: h})
		t.Cleanup(a.Close)
		return a
	}
	a := start()
	if s := settle(t, a); s.Loops != 0 || s.Error != "" {
		t.Fatalf("state %+v: want the file's 0 loops", s)
	}
	var files []File
	for i := range 8 {
		files = append(files, pngFile(t, i))
	}
	a.AddFiles(files)
	a.Train(6)
	waitFor(t, a, "training", func(s StateSnapshot) bool { return s.Step > 0 })
	settle(t, a)
	a.Save()
	s := settle(t, a)
	f, err := weights.Read(bytes.NewReader(h.download(s.Saved)), weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	defer b.Close()
	saved, err := gen.Open(b, f)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := weights.Read(bytes.NewReader(tinyPriorWeights(t)), weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	base, err := gen.Open(b, orig)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Prior == nil || saved.Loops != 0 || saved.Temperature != 0.9 {
		t.Fatalf("saved prior %v, %d loops, temperature %g", saved.Prior, saved.Loops, saved.Temperature)
	}
	if saved.Prior.Components() != 1 || math.Abs(saved.Prior.Means[0][0]-base.Prior.Means[0][0]) < 1e-3 {
		t.Fatalf("the saved prior (%d components, mean[0] %g) was not refitted to the 8 images (the file's mean[0] %g)",
			saved.Prior.Components(), saved.Prior.Means[0][0], base.Prior.Means[0][0])
	}
	a.Generate(5, 1)
	settle(t, a)
	want := a.Frame().Grid.Refined[3]
	a.Close()

	c := start()
	if s := settle(t, c); s.Step != 6 || s.Loops != 0 || s.Error != "" {
		t.Fatalf("restored %+v", s)
	}
	c.Generate(5, 1)
	settle(t, c)
	if !bytes.Equal(c.Frame().Grid.Refined[3], want) {
		t.Fatal("the restored app draws other images: its prior was not restored")
	}
}
