package eval

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"flowsphere/model/classifier"
	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/quality"
	"flowsphere/model/tensor"
)

// randomSet is a labelled two-class set of random size×size images.
func randomSet(size, train, test int) *data.Set {
	rng := rand.New(rand.NewPCG(21, 22))
	image := func(i int) data.Image {
		px := make([]uint8, 3*size*size)
		for j := range px {
			px[j] = uint8(rng.IntN(256))
		}
		return data.Image{Pixels: px, Label: i % 2}
	}
	s := &data.Set{Name: "random", Size: size, Classes: []string{"a", "b"}}
	for i := range train {
		s.Train = append(s.Train, image(i))
	}
	for i := range test {
		s.Test = append(s.Test, image(i))
	}
	return s
}

// fixture is a randomly initialised tiny generator and a random classifier for set.
func fixture(t *testing.T, b tensor.Backend, set *data.Set) (*gen.Model, *classifier.Classifier) {
	t.Helper()
	cfg, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	m, err := gen.New(b, cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	clf, err := classifier.New(b, classifier.Config{Image: set.Size, Channels: 3, Patch: 8, Embed: 4, Hidden: 6, Classes: 2}, 6)
	if err != nil {
		t.Fatal(err)
	}
	clf.Dataset, clf.ClassNames = set.Name, set.Classes
	return m, clf
}

// TestRun evaluates a random tiny generator end to end and checks the report's shape and
// ranges.
func TestRun(t *testing.T) {
	b := cpu.New()
	set := randomSet(32, 12, 7)
	m, clf := fixture(t, b, set)
	o := Options{N: 5, Steps: []int{0, 2}, Loops: 1, Seed: 3, Batch: 2, Confident: true, Grid: 3}
	stages := 0
	o.Progress = func(label, unit string, total int) (func(int), func()) {
		stages++
		return func(int) {}, func() {}
	}
	r, err := Run(b, m, clf, set, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Dataset != "random" || r.Config != "tiny" || r.Reference != 12 || r.Classifier.HeldOut != 7 || r.Classifier.Features != 6 {
		t.Fatalf("report header %+v", r)
	}
	if rc := r.Reconstruction; rc.Images != 5 || !(rc.PSNR > 0 && rc.PSNR < 100) || !(rc.SSIM > -1 && rc.SSIM < 1) {
		t.Fatalf("reconstruction %+v", rc)
	}
	// The fresh refiner's zero-initialised output layer predicts 0 at every t, so each time's
	// PSNR is that of the held-out images against black.
	heldOut := images(classifier.SetImages(set, false, 5))
	black, sq := make([]float32, len(heldOut[0])), 0.0
	for _, x := range heldOut {
		sq += quality.MSE(x, black)
	}
	if len(r.Denoised) != len(DenoiseTimes) {
		t.Fatalf("%d denoising times, want %d", len(r.Denoised), len(DenoiseTimes))
	}
	for i, d := range r.Denoised {
		if want := psnr(sq / 5); d.T != DenoiseTimes[i] || math.Abs(float64(d.PSNR-want)) > 1e-9 {
			t.Errorf("denoised %d: %+v, want t=%g PSNR %.6f", i, d, DenoiseTimes[i], float64(want))
		}
	}
	if cv := r.Coverage; r.Loops != 1 || cv.Reference != 12 || !(cv.HeldOut > 0 && cv.HeldOut < 180) || !(cv.Random > 0 && cv.Random < 180) ||
		!(cv.Looped >= 0 && cv.Looped < 180) || cv.Looped == cv.Random {
		t.Errorf("loops %d, coverage %+v", r.Loops, cv)
	}
	rows := append([]Metrics{r.HeldOut}, r.Generated[0].Metrics, r.Generated[1].Metrics)
	for i, met := range rows {
		if met.Images != 5 || !(met.FD >= 0) || math.IsInf(met.FD, 0) || met.Confident == nil || !(*met.Confident >= 0 && *met.Confident <= 1) || !(met.Nearest > 0 && met.Nearest < 1) {
			t.Errorf("row %d: %+v", i, met)
		}
	}
	if len(r.Generated) != 2 || r.Generated[1].Steps != 2 || len(r.Generated[0].Samples) != 3 {
		t.Fatalf("%d rows, steps %d, %d samples", len(r.Generated), r.Generated[1].Steps, len(r.Generated[0].Samples))
	}
	if stages < 10 {
		t.Errorf("%d progress stages reported", stages)
	}
}

// TestMeasureTrainingImages checks the two anchors of the scale: the training images
// themselves are at distance 0 from their nearest neighbours and at Fréchet distance 0.
func TestMeasureTrainingImages(t *testing.T) {
	b := cpu.New()
	set := randomSet(32, 12, 4)
	_, clf := fixture(t, b, set)
	e := &Evaluator{b: b, clf: clf, set: set, o: Options{}, train: classifier.SetImages(set, true, 0)}
	out, err := clf.Apply(b, e.train, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.ref, err = quality.NewStats(out.Features); err != nil {
		t.Fatal(err)
	}
	e.feats = out.Features
	met, err := e.measure("train", images(e.train))
	if err != nil {
		t.Fatal(err)
	}
	if met.Nearest > 1e-3 || met.FD > 1e-6 || met.Confident != nil || *met.Precision != 1 || *met.Recall != 1 {
		t.Fatalf("training images against themselves: %+v", met)
	}
	sum := 0.0
	for _, s := range met.Classes {
		sum += s
	}
	if len(met.Classes) != clf.Cfg.Classes || math.Abs(sum-1) > 1e-9 {
		t.Fatalf("class shares %v", met.Classes)
	}
}

// TestRunRefuses checks the errors for mismatched inputs.
func TestRunRefuses(t *testing.T) {
	good := Options{N: 4, Steps: []int{0}, Batch: 2}
	tests := []struct {
		name   string
		change func(set *data.Set, clf *classifier.Classifier, o *Options)
		want   string
	}{
		{"classifier of another dataset", func(set *data.Set, clf *classifier.Classifier, o *Options) { clf.Dataset = "mnist32" }, "trained on mnist32, not random"},
		{"generator of another size", func(set *data.Set, clf *classifier.Classifier, o *Options) {
			set.Size, clf.Cfg.Image = 16, 16
		}, "32-pixel images"},
		{"one image", func(set *data.Set, clf *classifier.Classifier, o *Options) { o.N = 1 }, "at least 2"},
		{"negative steps", func(set *data.Set, clf *classifier.Classifier, o *Options) { o.Steps = []int{2, -1} }, "negative step count"},
		{"no held-out images", func(set *data.Set, clf *classifier.Classifier, o *Options) { set.Test = set.Test[:1] }, "1 held-out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := cpu.New()
			set := randomSet(32, 4, 4)
			m, clf := fixture(t, b, set)
			o := good
			tc.change(set, clf, &o)
			if _, err := Run(b, m, clf, set, o); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
