package torch

import (
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/train"
	"flowsphere/ui/engine"
	"flowsphere/weights"
)

// launcherFix are torchrun flags for Debian 12's torch 1.13 under Python 3.11, whose
// launcher cannot parse its own defaults of --redirects and --tee ("0"); with these each
// process's stdout also goes to a log file, and nothing else changes.
var launcherFix = []string{"--redirects", "1", "--tee", "1"}

// TestDataParallel trains the tiny config for 20 steps with torchrun in two processes of
// batch 4 and in one process of batch 8: the loss curves agree within 1e-4. The two-process
// run's weight file opens in gen.Open (tools/sample's path) and in the engine the browser
// app runs; the one-process run's checkpoint resumes in Go's trainer for a step, and Go's
// checkpoint then in the twin's for one more.
func TestDataParallel(t *testing.T) {
	py := python(t)
	if testing.Short() {
		t.Skip("-short: no training runs")
	}
	dir := t.TempDir()
	set := randomSet(64)
	cache := filepath.Join(dir, "random.fsds")
	if err := data.SaveCache(cache, set); err != nil {
		t.Fatal(err)
	}
	common := []string{"--data", cache, "--config", "tiny", "--steps", "20", "--log-every", "1", "--seed", "3"}
	two, one := filepath.Join(dir, "two"), filepath.Join(dir, "one")
	torchrun := append([]string{"-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "--log_dir", filepath.Join(dir, "logs")}, launcherFix...)
	runPython(t, py, append(append(torchrun, "train.py", "--batch", "4", "--out", two), common...)...)
	runPython(t, py, append([]string{"train.py", "--batch", "8", "--out", one}, common...)...)

	a, b := readLoss(t, filepath.Join(two, "loss.csv")), readLoss(t, filepath.Join(one, "loss.csv"))
	if len(a) != 20 || len(b) != 20 {
		t.Fatalf("loss.csv has %d and %d rows, want 20", len(a), len(b))
	}
	var w worst
	for i := range a {
		for j := range a[i] {
			w.add(lossHeader[j]+" at step "+strconv.Itoa(i+1), relErr(a[i][j:j+1], b[i][j:j+1]), gradTol)
		}
	}
	w.check(t, "2×4 against 1×8", gradTol)

	path := filepath.Join(two, "two"+weights.Ext)
	openWeights(t, path)
	openInEngine(t, path)
	resumeInGo(t, filepath.Join(one, "checkpoint"+weights.Ext), set)
	runPython(t, py, append([]string{"train.py", "--resume", "--out", one, "--steps", "22"}, common[:2]...)...)
	if rows := readLoss(t, filepath.Join(one, "loss.csv")); rows[len(rows)-1][0] != 22 {
		t.Errorf("the twin resumed Go's checkpoint of step 21 and logged up to step %g, want 22", rows[len(rows)-1][0])
	}
}

// lossHeader names loss.csv's columns.
var lossHeader = []string{"step", "recon", "pixel", "latent", "flow", "total", "skipped", "lr"}

// readLoss reads loss.csv's rows as numbers.
func readLoss(t *testing.T, path string) [][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]float64
	for _, rec := range recs[1:] {
		row := make([]float64, len(rec))
		for i, s := range rec {
			if row[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// randomSet is a dataset of n random 32×32 images.
func randomSet(n int) *data.Set {
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	s := &data.Set{Name: "random", Size: 32}
	for range n {
		px := make([]uint8, 3*32*32)
		for i := range px {
			px[i] = uint8(rng.Uint32())
		}
		s.Train = append(s.Train, data.Image{Pixels: px, Label: -1})
	}
	return s
}

// openWeights opens a weight file as tools/sample does and generates from it.
func openWeights(t *testing.T, path string) {
	t.Helper()
	f, err := weights.ReadFile(path, weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	m, err := gen.Open(b, f)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Free(b)
	g := m.NewGenerator(b, 2)
	defer g.Free(b)
	g.Loops = 1
	if _, _, err := g.Generate(b, 1, 2, false); err != nil {
		t.Fatal(err)
	}
	if f.Metadata["weights"] != "ema" || f.Metadata["steps"] != "20" || f.Metadata["dataset"] != "random" {
		t.Errorf("metadata %v", f.Metadata)
	}
}

// openInEngine loads a weight file as the browser app's default weights.
func openInEngine(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := engine.Start(engine.Options{Backend: cpu.New(), Weights: raw, WeightsName: filepath.Base(path), Loops: 1})
	defer e.Close()
	for deadline := time.Now().Add(2 * time.Minute); e.Busy() || e.State().Model == ""; {
		if time.Now().After(deadline) {
			t.Fatal("the engine did not finish loading in 2 minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s := e.State(); s.Error != "" || s.Model != filepath.Base(path) || s.Config != "tiny" {
		t.Fatalf("engine: model %q, config %q, error %q", s.Model, s.Config, s.Error)
	}
}

// resumeInGo resumes a twin checkpoint in Go's trainer, takes a step and saves Go's
// checkpoint in its place.
func resumeInGo(t *testing.T, path string, set *data.Set) {
	t.Helper()
	b := cpu.New()
	tr, err := train.Resume(b, path, set)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Free()
	if tr.Step != 20 || tr.Opt.Batch != 8 || tr.Opt.Seed != 3 {
		t.Fatalf("resumed at step %d, batch %d, seed %d", tr.Step, tr.Opt.Batch, tr.Opt.Seed)
	}
	tr.Opt.Steps++
	tr.TrainStep()
	r, err := tr.Report()
	if err != nil || r.Skipped != 0 || !(r.Total > 0) {
		t.Fatalf("the step after resuming: %+v, %v", r, err)
	}
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
}
