package torch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/model/train"
	"flowsphere/weights"
)

// Tolerances of the float64 parity (the issue's): losses, gradients and optimiser steps
// relative to the reference's scale, sampled images (in [-1, 1]) absolutely.
const (
	gradTol   = 1e-4
	sampleTol = 1e-3
)

// TestParity runs the twin in float64 on fixtures made with the Go float64 reference
// backend, for the tiny and the small preset, and requires the same losses, parameter
// gradients, generated images (Heun and Euler, after encode→decode loops), optimiser steps,
// FLOP count, presets and schedules, and a weight file written back that Go reads as the
// same model, prior included.
func TestParity(t *testing.T) {
	py := python(t)
	for _, c := range []fixtureCase{
		{config: "tiny", batch: 3, times: []float32{0.1, 0.97, 0.55}, loops: 2, steps: 3},
		{config: "small", batch: 2, times: []float32{0.3, 0.99}, loops: 1, steps: 2},
	} {
		t.Run(c.config, func(t *testing.T) {
			if testing.Short() && c.config != "tiny" {
				t.Skip("-short: tiny only")
			}
			dir := t.TempDir()
			ref := buildFixture(t, dir, c)
			runPython(t, py, "parity.py", dir)
			got := readResults(t, filepath.Join(dir, "out.safetensors"))
			checkTensors(t, ref, got)
			checkFacts(t, ref, got, c)
			checkWriteBack(t, dir)
		})
	}
}

// worst tracks the largest error of a group of comparisons and what had it.
type worst struct {
	err  float64
	name string
	bad  []string
}

func (w *worst) add(name string, err, tol float64) {
	if err > w.err || w.name == "" {
		w.err, w.name = err, name
	}
	if !(err <= tol) {
		w.bad = append(w.bad, fmt.Sprintf("%s (%.3g)", name, err))
	}
}

func (w *worst) check(t *testing.T, what string, tol float64) {
	t.Helper()
	t.Logf("%-22s max error %.3g (%s)", what, w.err, w.name)
	if len(w.bad) > 0 {
		t.Errorf("%s: %d over %g: %v", what, len(w.bad), tol, w.bad[:min(len(w.bad), 8)])
	}
}

// checkTensors compares losses, gradients, images and optimiser steps.
func checkTensors(t *testing.T, ref reference, got results) {
	t.Helper()
	var losses, grads, samples, params, ema worst
	gl := got.get(t, "loss")
	for i, name := range []string{"recon", "pixel", "latent", "flow"} {
		if len(gl) != 4 {
			t.Fatalf("the twin wrote %d losses, want 4", len(gl))
		}
		losses.add(fmt.Sprintf("%s %.6g vs %.6g", name, gl[i], ref.losses[i]), relErr(gl[i:i+1], ref.losses[i:i+1]), gradTol)
	}
	for _, name := range ref.names {
		grads.add(name, relErr(got.get(t, "grad/"+name), ref.grads[name]), gradTol)
		start := ref.start[name]
		params.add(name, relErr(minus(got.get(t, "opt/param/"+name), start), minus(ref.params[name], start)), gradTol)
		ema.add(name, relErr(minus(got.get(t, "opt/ema/"+name), start), minus(ref.ema[name], start)), gradTol)
	}
	keys := make([]string, 0, len(ref.samples))
	for k := range ref.samples {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		samples.add(k, absErr(got.get(t, "sample/"+k), widen(ref.samples[k])), sampleTol)
	}
	losses.check(t, "losses", gradTol)
	grads.check(t, "gradients", gradTol)
	samples.check(t, "sampled images", sampleTol)
	params.check(t, "optimiser: weights", gradTol)
	ema.check(t, "optimiser: EMA", gradTol)
}

// absErr is max|got − want| (+Inf for a length mismatch or NaN).
func absErr(got, want []float64) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range want {
		if x := math.Abs(got[i] - want[i]); !(x <= d) {
			d = x
		}
	}
	if math.IsNaN(d) {
		return math.Inf(1)
	}
	return d
}

// checkFacts compares the FLOP count, the presets, the default options and the schedules.
func checkFacts(t *testing.T, ref reference, got results, c fixtureCase) {
	t.Helper()
	if f, err := strconv.ParseFloat(got.meta["flops"], 64); err != nil || f != ref.flops {
		t.Errorf("the twin counts %s model FLOPs per step, Go's FLOPCounter %.0f", got.meta["flops"], ref.flops)
	}
	var presets map[string]string
	if err := json.Unmarshal([]byte(got.meta["presets"]), &presets); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	if !slices.Equal(names, config.Presets()) {
		t.Errorf("the twin's presets are %v, Go's %v", names, config.Presets())
	}
	for _, n := range config.Presets() {
		want, _ := config.Preset(n)
		if presets[n] != want.Marshal() {
			t.Errorf("preset %s:\n twin %s\n Go   %s", n, presets[n], want.Marshal())
		}
	}
	checkDefaults(t, got.meta["defaults"], ref.opt.Steps)
	var lr, ema []float64
	if json.Unmarshal([]byte(got.meta["lr"]), &lr) != nil || json.Unmarshal([]byte(got.meta["ema"]), &ema) != nil || len(lr) != ref.opt.Steps+3 || len(ema) != len(lr) {
		t.Fatalf("schedules %q and %q", got.meta["lr"], got.meta["ema"])
	}
	for s := range lr {
		if relErr(lr[s:s+1], []float64{ref.opt.LRAt(s)}) > 1e-12 || relErr(ema[s:s+1], []float64{ref.opt.EMAAt(s)}) > 1e-12 {
			t.Errorf("step %d: the twin's learning rate %g and EMA decay %g, Go's %g and %g", s, lr[s], ema[s], ref.opt.LRAt(s), ref.opt.EMAAt(s))
		}
	}
}

// checkDefaults compares the twin's default options with train.DefaultOptions: every option
// the twin has must default to Go's value; options only Go has (another optimiser's) are
// named in the log.
func checkDefaults(t *testing.T, twinJSON string, steps int) {
	t.Helper()
	var twin, goOpts map[string]any
	if err := json.Unmarshal([]byte(twinJSON), &twin); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(train.DefaultOptions(steps))
	json.Unmarshal(raw, &goOpts)
	for k, v := range twin {
		if fmt.Sprint(goOpts[k]) != fmt.Sprint(v) {
			t.Errorf("default option %s: twin %v, Go %v", k, v, goOpts[k])
		}
	}
	for k := range goOpts {
		if _, ok := twin[k]; !ok {
			t.Logf("the twin has no option %s (Go's default %v)", k, goOpts[k])
		}
	}
}

// checkWriteBack opens the model the twin wrote back: the same tensors bit for bit (the
// prior's included), metadata and loop count, and a model gen.Open accepts.
func checkWriteBack(t *testing.T, dir string) {
	t.Helper()
	src, err := weights.ReadFile(filepath.Join(dir, modelFile), weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	back, err := weights.ReadFile(filepath.Join(dir, "back"+weights.Ext), weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := weights.Encode(src, weights.F32)
	b, _ := weights.Encode(back, weights.F32)
	if !bytes.Equal(a, b) {
		t.Errorf("the file the twin wrote back encodes to %d bytes that differ from Go's %d", len(b), len(a))
	}
	m, err := gen.Open(cpu.New(), back)
	if err != nil {
		t.Fatal(err)
	}
	if m.Prior == nil || m.Loops != mustAtoi(t, src.Metadata[gen.LoopsKey]) {
		t.Errorf("written back: prior %v, loops %d; the file had loops %s", m.Prior != nil, m.Loops, src.Metadata[gen.LoopsKey])
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
