package classifier

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"flowsphere/model/data"
	"flowsphere/weights"
)

// TestFileRoundTrip saves a trained classifier in F16 and opens it again: same dataset,
// classes and config, and the same answers within half precision.
func TestFileRoundTrip(t *testing.T) {
	b, set, c, _ := trained(t)
	f, err := c.ToFile(b, map[string]string{"accuracy": "1"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := weights.Write(&buf, f, weights.F16); err != nil {
		t.Fatal(err)
	}
	back, err := weights.Read(&buf, weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := Open(b, back)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Cfg != c.Cfg || c2.Dataset != set.Name || back.Metadata["accuracy"] != "1" || c2.CheckSet(set) != nil {
		t.Fatalf("config %+v, dataset %q, metadata %v, check %v", c2.Cfg, c2.Dataset, back.Metadata, c2.CheckSet(set))
	}
	want, _ := c.Apply(b, SetImages(set, false, 0), 8, nil)
	got, _ := c2.Apply(b, SetImages(set, false, 0), 8, nil)
	for i := range want.Probs {
		for j := range want.Probs[i] {
			if d := math.Abs(float64(got.Probs[i][j] - want.Probs[i][j])); d > 2e-2 {
				t.Fatalf("image %d class %d: probability %g after F16, %g before", i, j, got.Probs[i][j], want.Probs[i][j])
			}
		}
	}
}

// TestOpenRefuses checks the errors for files that are not a usable classifier.
func TestOpenRefuses(t *testing.T) {
	b, _, c, _ := trained(t)
	good, err := c.ToFile(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(f *weights.File)
		want   string
	}{
		{"a generator file", func(f *weights.File) { f.Metadata[formatKey] = "flowsphere-1" }, "not a flowsphere classifier"},
		{"bad config", func(f *weights.File) { f.Metadata[configKey] = `{"image": 5}` }, "classifier config"},
		{"classes disagree", func(f *weights.File) { f.Metadata[classesKey] = `["a"]` }, "does not name 2 classes"},
		{"missing tensor", func(f *weights.File) { f.Tensors = f.Tensors[1:] }, "no values for parameter"},
		{"wrong shape", func(f *weights.File) { f.Tensors[0].Shape = []int{len(f.Tensors[0].Data)} }, "has shape"},
		{"extra tensor", func(f *weights.File) {
			f.Tensors = append(f.Tensors, weights.Tensor{Name: "stray", Shape: []int{1}, Data: []float32{0}})
		}, "tensors"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := good.Clone()
			tc.change(f)
			if _, err := Open(b, f); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// TestCheckSet checks that a classifier refuses sets it was not trained for.
func TestCheckSet(t *testing.T) {
	_, _, c, _ := trained(t)
	tests := []struct {
		name   string
		change func(s *data.Set)
		want   string
	}{
		{"other dataset", func(s *data.Set) { s.Name = "mnist32" }, "trained on halves, not mnist32"},
		{"other classes", func(s *data.Set) { s.Classes = []string{"left", "right"} }, "classes"},
		{"other size", func(s *data.Set) { s.Size = 16 }, "8-pixel"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set := halves(2, 2)
			tc.change(set)
			if err := c.CheckSet(set); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}
