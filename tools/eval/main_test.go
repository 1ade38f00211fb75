package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flowsphere/model/classifier"
	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/data"
	"flowsphere/model/eval"
	"flowsphere/model/gen"
	"flowsphere/weights"
)

// stripes is a labelled two-class set of 32-pixel images: horizontal or vertical stripes of
// random phase and colour.
func stripes(train, test int) *data.Set {
	const size = 32
	rng := rand.New(rand.NewPCG(31, 32))
	image := func(label int) data.Image {
		px := make([]uint8, 3*size*size)
		phase, tint := rng.IntN(8), uint8(rng.IntN(128))
		for i := range px {
			c, y, x := i/(size*size), (i/size)%size, i%size
			along := x
			if label == 1 {
				along = y
			}
			if (along+phase)%8 < 4 {
				px[i] = 255 - uint8(c)*tint/2
			}
		}
		return data.Image{Pixels: px, Label: label}
	}
	s := &data.Set{Name: "stripes", Size: size, Classes: []string{"vertical", "horizontal"}}
	for i := range train {
		s.Train = append(s.Train, image(i%2))
	}
	for i := range test {
		s.Test = append(s.Test, image(i%2))
	}
	return s
}

// writeGenerator writes a randomly initialised tiny generator marked as trained on dataset.
func writeGenerator(t *testing.T, path, dataset string) {
	t.Helper()
	b := cpu.New()
	cfg, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	m, err := gen.New(b, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := m.ToFile(b, m.Params.Values, map[string]string{"dataset": dataset})
	if err != nil {
		t.Fatal(err)
	}
	if err := weights.WriteFile(path, f, weights.F16); err != nil {
		t.Fatal(err)
	}
}

// testFlags are the command line of a quick run in dir.
func testFlags(dir string) flags {
	o := eval.DefaultOptions()
	o.N, o.Steps, o.Batch, o.Grid, o.Confident = 6, []int{0, 2}, 3, 4, true
	return flags{
		weights: filepath.Join(dir, "gen"+weights.Ext), data: "stripes", classifier: filepath.Join(dir, "clf"+weights.Ext),
		out: filepath.Join(dir, "out"), backend: "cpu", eval: o, classifierSteps: 40,
	}
}

// TestTrainThenEvaluate trains a classifier through the command, then evaluates a random
// tiny generator with it, as a table and as JSON, and checks every output.
func TestTrainThenEvaluate(t *testing.T) {
	dir := t.TempDir()
	f, set := testFlags(dir), stripes(24, 8)
	writeGenerator(t, f.weights, set.Name)
	var out bytes.Buffer
	if err := trainClassifier(f, set, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "held-out accuracy") {
		t.Fatalf("training printed %q", out.String())
	}
	file, err := weights.ReadFile(f.classifier, weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if file.Metadata["command"] != trainCommand(f) || file.Metadata["steps"] != "40" {
		t.Errorf("classifier metadata %v", file.Metadata)
	}

	out.Reset()
	if err := evaluate(f, set, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PSNR", "SSIM", "held-out accuracy", "held-out (real)", "conf≥0.9", "NN RMSE", "encode→decode loops"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	if rows := strings.Count(out.String(), "generated"); rows != 2 {
		t.Errorf("%d generated rows, want 2:\n%s", rows, out.String())
	}
	for _, name := range []string{"quality.png", "samples-steps0.png", "samples-steps2.png"} {
		fh, err := os.Open(filepath.Join(f.out, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(fh); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		fh.Close()
	}

	f.json = true
	out.Reset()
	if err := evaluate(f, set, &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Weights        string
		Reconstruction struct{ PSNR, SSIM float64 }
		HeldOut        struct{ FD float64 } `json:"held_out"`
		Generated      []struct {
			Steps     int
			FD        float64
			Confident *float64
			NNRMSE    float64 `json:"nn_rmse"`
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v in\n%s", err, out.String())
	}
	if got.Weights != f.weights || len(got.Generated) != 2 || got.Generated[1].Steps != 2 || got.Generated[0].Confident == nil ||
		got.Generated[0].NNRMSE <= 0 || got.Reconstruction.PSNR <= 0 {
		t.Fatalf("JSON report %+v", got)
	}
}

// TestEvaluateRefuses checks the errors a user meets first: no classifier yet (with the
// command that trains it), a generator of another dataset, a classifier of another one.
func TestEvaluateRefuses(t *testing.T) {
	dir := t.TempDir()
	set := stripes(6, 4)
	otherClf := filepath.Join(dir, "other-clf"+weights.Ext)
	f := testFlags(dir)
	f.classifier = otherClf
	if err := trainClassifier(f, stripesNamed("dots"), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(f *flags)
		want   []string
	}{
		{"no classifier, default path", func(f *flags) { f.classifier = defaultClassifier("stripes") },
			[]string{"no classifier for stripes at " + defaultClassifier("stripes"), "go run ./tools/eval -train-classifier -data stripes\n"}},
		{"no classifier, own path", func(f *flags) { f.classifier = filepath.Join(dir, "none"+weights.Ext) },
			[]string{"no classifier", "-train-classifier -data stripes -classifier " + filepath.Join(dir, "none"+weights.Ext)}},
		{"classifier of another dataset", func(f *flags) { f.classifier = otherClf }, []string{"trained on dots, not stripes"}},
		{"generator of another dataset", func(f *flags) { writeGenerator(t, f.weights, "mnist32") }, []string{"trained on mnist32, not stripes; evaluate it with -data mnist32"}},
		{"no generator", func(f *flags) { f.weights = filepath.Join(dir, "missing"+weights.Ext) }, []string{"no such file"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := testFlags(dir)
			writeGenerator(t, f.weights, set.Name)
			tc.change(&f)
			err := evaluate(f, set, &bytes.Buffer{})
			for _, want := range tc.want {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("err = %v, want it to mention %q", err, want)
				}
			}
		})
	}
}

// stripesNamed is a small stripes set under another name.
func stripesNamed(name string) *data.Set {
	s := stripes(6, 4)
	s.Name = name
	return s
}

// TestClassifierLearnsStripes checks that the command's default classifier separates the
// stripes after a few steps, through the saved file.
func TestClassifierLearnsStripes(t *testing.T) {
	dir := t.TempDir()
	f, set := testFlags(dir), stripes(64, 16)
	f.classifierSteps = 60
	if err := trainClassifier(f, set, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	c, err := loadClassifier(b, f, set)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Apply(b, classifier.SetImages(set, false, 0), 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acc := classifier.Accuracy(out.Probs, classifier.Labels(set, false, 0)); acc < 0.9 {
		t.Fatalf("held-out accuracy %g after 60 steps", acc)
	}
}

func TestParseInts(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		err  bool
	}{
		{"0,1,2,4,8", []int{0, 1, 2, 4, 8}, false},
		{" 4 , 0", []int{4, 0}, false},
		{"3", []int{3}, false},
		{"1,,2", nil, true},
		{"two", nil, true},
	}
	for _, tc := range tests {
		got, err := parseInts(tc.in)
		if (err != nil) != tc.err || joinInts(got) != joinInts(tc.want) {
			t.Errorf("parseInts(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}
