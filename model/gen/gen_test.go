package gen

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/prior"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

func tiny(t *testing.T) config.Config {
	t.Helper()
	c, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestWeightFileRoundTrip saves a model in F16 and opens it again: every value comes back
// within half precision, the config and the loop count are the same, and the generator
// runs the file's loops.
func TestWeightFileRoundTrip(t *testing.T) {
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	m.Loops = 7
	f, err := m.ToFile(b, m.Params.Values, map[string]string{"dataset": "test"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m"+weights.Ext)
	if err := weights.WriteFile(path, f, weights.F16); err != nil {
		t.Fatal(err)
	}
	back, err := weights.ReadFile(path, weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Open(b, back)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Cfg != m.Cfg || back.Metadata["dataset"] != "test" || m2.Loops != 7 {
		t.Fatalf("config %+v, loops %d, metadata %v", m2.Cfg, m2.Loops, back.Metadata)
	}
	g := m2.NewGenerator(b, 1)
	defer g.Free(b)
	if g.Loops != 7 {
		t.Errorf("the generator runs %d loops, the file asks for 7", g.Loops)
	}
	want, _ := b.Download(m.Params.Values)
	got, _ := b.Download(m2.Params.Values)
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > math.Abs(float64(want[i]))/1024+1e-7 {
			t.Fatalf("value %d: %g after F16, want %g", i, got[i], want[i])
		}
	}
}

// TestOpenRefusesOtherFiles checks the errors for files that are not this model.
func TestOpenRefusesOtherFiles(t *testing.T) {
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	good, err := m.ToFile(b, m.Params.Values, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(f *weights.File)
		want   string
	}{
		{"not flowsphere", func(f *weights.File) { delete(f.Metadata, FormatKey) }, "not a flowsphere model"},
		{"bad config", func(f *weights.File) { f.Metadata[ConfigKey] = `{"image": 5}` }, "bad config"},
		{"bad loops", func(f *weights.File) { f.Metadata[LoopsKey] = "-3" }, "bad loop count"},
		{"too many loops", func(f *weights.File) { f.Metadata[LoopsKey] = "1000000" }, "bad loop count"},
		{"missing tensor", func(f *weights.File) { f.Tensors = f.Tensors[1:] }, "lacks parameter"},
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

// TestGenerate checks call counts, determinism per seed, that seeds differ, that the first
// images do not depend on the batch size, and that outputs are clamped.
func TestGenerate(t *testing.T) {
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	g := m.NewGenerator(b, 4)
	for _, steps := range []int{0, 1, 4} {
		dec, ref, err := g.Generate(b, 7, steps, false)
		if err != nil {
			t.Fatal(err)
		}
		if want := max(0, 2*steps-1); g.Calls() != want {
			t.Errorf("%d steps: %d refiner calls, want %d", steps, g.Calls(), want)
		}
		if len(dec) != 4 || len(ref) != 4 {
			t.Fatalf("%d and %d images", len(dec), len(ref))
		}
		for _, v := range ref[0] {
			if v < -1 || v > 1 {
				t.Fatalf("value %g outside [-1, 1]", v)
			}
		}
	}
	a, _, _ := g.Generate(b, 7, 0, false)
	again, _, _ := g.Generate(b, 7, 0, false)
	other, _, _ := g.Generate(b, 8, 0, false)
	small := m.NewGenerator(b, 2)
	first, _, _ := small.Generate(b, 7, 0, false)
	if !equal(a[1], again[1]) || equal(a[1], other[1]) || !equal(a[1], first[1]) {
		t.Fatal("same seed must give the same image, another seed another, at any batch size")
	}
}

func equal(a, b []float32) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// withPrior returns a tiny model with a prior fitted to random points near the sphere.
func withPrior(t *testing.T) (*Model, tensor.Backend) {
	t.Helper()
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	l := m.Cfg.L()
	pts := make([][]float32, 64)
	for i := range pts {
		pts[i] = make([]float32, l)
		for j := range pts[i] {
			pts[i][j] = float32(math.Sin(float64(i*l+j))) + float32(i%2)
		}
	}
	if m.Prior, _, err = prior.Fit(pts, prior.DefaultFitOptions()); err != nil {
		t.Fatal(err)
	}
	m.Temperature, m.Loops = 0.8, 0
	return m, b
}

func TestPriorRoundTrip(t *testing.T) {
	m, b := withPrior(t)
	f, err := m.ToFile(b, m.Params.Values, map[string]string{LoopsKey: "9", PriorTemperatureKey: "2"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m"+weights.Ext)
	if err := weights.WriteFile(path, f, weights.F16); err != nil {
		t.Fatal(err)
	}
	back, err := weights.ReadFile(path, weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Open(b, back)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Loops != 0 || m2.Temperature != 0.8 || m2.Prior == nil || m2.Prior.Components() != m.Prior.Components() {
		t.Fatalf("loops %d, temperature %g, prior %v: the model's own values must win over the extra metadata", m2.Loops, m2.Temperature, m2.Prior)
	}
	// The generators draw the same points (up to F16 rounding of the mixture).
	g, g2 := m.NewGenerator(b, 3), m2.NewGenerator(b, 3)
	want, _ := b.Download(g.SpherePoints(b, 11))
	got, _ := b.Download(g2.SpherePoints(b, 11))
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > 0.02 {
			t.Fatalf("value %d: %g from the file's prior, %g from the fitted one", i, got[i], want[i])
		}
	}
	// Drawn points lie on the sphere and depend on the seed.
	other, _ := b.Download(g.SpherePoints(b, 12))
	if equal(want, other) {
		t.Fatal("seeds 11 and 12 drew the same points")
	}
	l := m.Cfg.L()
	sq := 0.0
	for _, v := range want[:l] {
		sq += float64(v) * float64(v)
	}
	if math.Abs(sq-float64(l)) > 1e-2*float64(l) {
		t.Fatalf("|v|² = %g, want %d", sq, l)
	}
}

func TestOpenRefusesBadPriors(t *testing.T) {
	m, b := withPrior(t)
	good, err := m.ToFile(b, m.Params.Values, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(f *weights.File)
		want   string
	}{
		{"part of a prior", func(f *weights.File) { f.Tensors = f.Tensors[:len(f.Tensors)-1] }, "part of a prior"},
		{"wrong latent", func(f *weights.File) {
			p, _ := f.Lookup(PriorCenter)
			p.Shape = []int{p.Shape[0] / 2, 2}
		}, "prior tensor prior.center has shape"},
		{"wrong rank", func(f *weights.File) {
			p, _ := f.Lookup(PriorMeans)
			p.Shape = []int{p.Shape[0], p.Shape[1] / 2, 2}
		}, "prior tensor prior.means has shape"},
		{"upper triangle", func(f *weights.File) {
			p, _ := f.Lookup(PriorChols)
			p.Data = append([]float32(nil), p.Data...) // the clone shares its data
			p.Data[1] = 1
		}, "lower-triangular"},
		{"bad temperature", func(f *weights.File) { f.Metadata[PriorTemperatureKey] = "0" }, "temperature"},
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

// TestWiden widens a tiny model's latent from 2 to 8 channels. The decoder, given a narrow
// point's channels scaled by sqrt(8/2) (where spherify puts them once the new channels are
// near zero) and zeros in the new ones, decodes exactly what the narrow model does; the
// encoder puts its old channels there, the new ones near zero.
func TestWiden(t *testing.T) {
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Widen(b, m, 8, 4)
	if err != nil {
		t.Fatal(err)
	}
	if w.Cfg.Latent != 8 || w.Cfg.L() != 4*m.Cfg.L() {
		t.Fatalf("latent %d, L %d", w.Cfg.Latent, w.Cfg.L())
	}
	const batch = 2
	x := b.New(batch, m.Cfg.Channels, m.Cfg.Image, m.Cfg.Image)
	b.Rand(x, batch*m.Cfg.Pixels(), 1, 0, tensor.Uniform)
	encode := func(mm *Model) []float32 {
		enc := mm.AE.NewEncoded(b, batch)
		mm.AE.Encode(b, enc, x)
		v, _ := b.Download(enc.V())
		return v
	}
	decode := func(mm *Model, v []float32) []float32 {
		vt, dec := b.New(batch, mm.Cfg.L()), mm.AE.NewDecoded(b, batch)
		b.Upload(vt, v)
		mm.AE.Decode(b, dec, vt)
		img, _ := b.Download(dec.Image())
		hidden, _ := b.Download(dec.Hidden()) // more sensitive to v than a fresh decoder's image
		return append(img, hidden...)
	}
	narrow, wide := encode(m), encode(w)
	spread := make([]float32, len(wide))
	for i, v := range narrow {
		tok, c := i/2, i%2
		spread[tok*8+c] = 2 * v
		if d := math.Abs(float64(wide[tok*8+c] - 2*v)); d > 0.1*math.Abs(float64(2*v))+0.05 {
			t.Fatalf("encoding value %d: %g in the widened model, %g = 2 × the narrow one's expected", i, wide[tok*8+c], 2*v)
		}
	}
	want, got := decode(m, narrow), decode(w, spread)
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("decoder output %d: %g from the widened decoder, %g from the narrow one", i, got[i], want[i])
		}
	}
	if _, err := Widen(b, m, 2, 4); err == nil {
		t.Fatal("widening to the same width accepted")
	}
}

// TestWithoutPrior drops a damaged prior, so that the network still loads.
func TestWithoutPrior(t *testing.T) {
	m, b := withPrior(t)
	f, err := m.ToFile(b, m.Params.Values, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.Tensors = f.Tensors[:len(f.Tensors)-1] // part of a prior
	if _, err := Open(b, f); err == nil {
		t.Fatal("a file with part of a prior opened")
	}
	m2, err := Open(b, WithoutPrior(f))
	if err != nil {
		t.Fatal(err)
	}
	if m2.Prior != nil || m2.Loops != m.Loops {
		t.Fatalf("prior %v, loops %d", m2.Prior, m2.Loops)
	}
}
