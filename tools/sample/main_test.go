package main

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/weights"
)

// TestSample writes a fresh tiny model and samples grids from it, with and without -compare,
// and refuses a file that is not a model.
func TestSample(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	m, err := gen.New(b, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := m.ToFile(b, m.Params.Values, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tiny"+weights.Ext)
	if err := weights.WriteFile(path, f, weights.F16); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		n            int
		compare      bool
		wantW, wantH int
	}{
		// Each cell is 32·3 px plus a 1-px gutter, with one more gutter at the edge.
		{"grid", 9, false, 3*97 + 1, 3*97 + 1},
		{"compare", 4, true, 4*97 + 1, 2*97 + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".png")
			if err := run(path, tc.n, 2, 1, false, 1, out, tc.compare, "cpu"); err != nil {
				t.Fatal(err)
			}
			r, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			img, err := png.Decode(r)
			if err != nil {
				t.Fatal(err)
			}
			if s := img.Bounds().Size(); s.X != tc.wantW || s.Y != tc.wantH {
				t.Fatalf("grid is %v, want %dx%d", s, tc.wantW, tc.wantH)
			}
		})
	}
	junk := filepath.Join(dir, "junk"+weights.Ext)
	os.WriteFile(junk, []byte("not a weight file"), 0o644)
	if err := run(junk, 1, 1, 1, false, 1, filepath.Join(dir, "x.png"), false, "cpu"); err == nil {
		t.Fatal("a junk weight file was accepted")
	}
}
