package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flowsphere/model/gen"
	"flowsphere/model/train"
	"flowsphere/weights"
)

// writeImages makes a folder of n small PNGs with varied colours.
func writeImages(t *testing.T, dir string, n int) {
	t.Helper()
	for i := range n {
		img := image.NewRGBA(image.Rect(0, 0, 40, 36))
		for y := range 36 {
			for x := range 40 {
				img.Set(x, y, color.RGBA{uint8(x*6 + i*20), uint8(y * 7), uint8(i * 37), 255})
			}
		}
		f, err := os.Create(filepath.Join(dir, strings.Repeat("a", i+1)+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}

// imageFolder writes n images into a folder of a fresh temporary directory dir, which also
// holds the dataset cache for the test.
func imageFolder(t *testing.T, n int) (dir, imgs string) {
	dir = t.TempDir()
	imgs = filepath.Join(dir, "images")
	os.Mkdir(imgs, 0o755)
	writeImages(t, imgs, n)
	t.Setenv("FLOWSPHERE_CACHE", filepath.Join(dir, "cache"))
	return dir, imgs
}

// TestTrainAndResume runs the command's whole path on a folder dataset at the tiny size:
// 6 steps, then -resume -steps 10, with snapshots every 5 steps, and checks every output file.
func TestTrainAndResume(t *testing.T) {
	dir, imgs := imageFolder(t, 8)
	out := filepath.Join(dir, "runs", "mini")
	f := flags{data: imgs, config: "tiny", out: out, backend: "cpu", steps: 6, batch: 4, aeWarmup: 2,
		logEvery: 2, sampleEvery: 3, ckptEvery: 3, snapshotEvery: 5, ratio: -1, seed: 1,
		prior: 4, priorImages: 100, temperature: 0.7, loops: -1, optimizer: train.Muon}
	if err := run(f); err != nil {
		t.Fatal(err)
	}
	// Resumed with only -steps: the intervals come from the run's schedule file, not from
	// the flags' defaults (10, steps/10, 500 and none).
	f.steps, f.resume, f.given = 10, true, map[string]bool{"steps": true}
	f.logEvery, f.sampleEvery, f.ckptEvery, f.snapshotEvery = 10, 1, 500, 0
	f.prior, f.temperature = 0, 1
	if err := run(f); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "samples-000008.png")); err == nil {
		t.Error("the resumed run sampled at step 8: it did not keep -sample-every 3")
	}
	f.steps = 4
	if err := run(f); err == nil {
		t.Fatal("-resume -steps below the checkpoint's step accepted")
	}
	for _, name := range []string{lossCSV, lossPNG, checkpointFile, "samples-000003.png", "samples-000009.png", "mini" + weights.Ext,
		"mini-step000005" + weights.Ext, "mini-step000010" + weights.Ext} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing output: %v", err)
		}
	}
	csv, err := os.ReadFile(filepath.Join(out, lossCSV))
	if err != nil {
		t.Fatal(err)
	}
	if rows := strings.Count(string(csv), "\n"); rows != 1+5 {
		t.Errorf("loss.csv has %d lines, want a header and 5 reports:\n%s", rows, csv)
	}
	w, err := weights.ReadFile(filepath.Join(out, "mini"+weights.Ext), weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if w.Metadata["steps"] != "10" || w.Metadata["weights"] != "ema" {
		t.Errorf("weight metadata %v", w.Metadata)
	}
	// The first run's -prior, -temperature and -optimizer hold on -resume.
	_, hasPrior := w.Lookup(gen.PriorChols)
	if !hasPrior || w.Metadata[gen.LoopsKey] != "0" || w.Metadata[gen.PriorTemperatureKey] != "0.7" {
		t.Errorf("the weight file has a prior %v, metadata %v: want a prior, 0 loops, temperature 0.7", hasPrior, w.Metadata)
	}
}

// TestTrainFromWeights continues a model from its weight file with -init, with another
// time distribution, and refuses architecture changes alongside it.
func TestTrainFromWeights(t *testing.T) {
	dir, imgs := imageFolder(t, 4)
	f := flags{data: imgs, config: "tiny", out: filepath.Join(dir, "first"), backend: "cpu", steps: 2, batch: 2, aeWarmup: 1,
		logEvery: 1, sampleEvery: 2, ckptEvery: 2, ratio: -1, seed: 1}
	if err := run(f); err != nil {
		t.Fatal(err)
	}
	f.init, f.out, f.config = filepath.Join(dir, "first", "first"+weights.Ext), filepath.Join(dir, "second"), "small"
	f.timeDist = "logit-normal" // a training choice, which -init may change
	if err := run(f); err != nil {
		t.Fatal(err)
	}
	w, err := weights.ReadFile(filepath.Join(f.out, "second"+weights.Ext), weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if cfg := w.Metadata["config"]; !strings.Contains(cfg, `"name":"tiny"`) || !strings.Contains(cfg, `"time_dist":"logit-normal"`) {
		t.Errorf("-init did not keep the file's config with -time's distribution: %s", cfg)
	}
	f.timeDist = "beta"
	if err := run(f); err == nil || !strings.Contains(err.Error(), "time distribution") {
		t.Errorf("-init with -time beta: %v", err)
	}
	f.timeDist, f.freshRefiner = "", true
	if err := run(f); err != nil {
		t.Fatalf("-init with -fresh-refiner: %v", err)
	}
	f.init = ""
	if err := run(f); err == nil || !strings.Contains(err.Error(), "-fresh-refiner") {
		t.Errorf("-fresh-refiner without -init: %v", err)
	}
	f.init, f.freshRefiner = filepath.Join(dir, "first", "first"+weights.Ext), false
	f.latent, f.alphaMax = 4, 60 // a wider latent and another noise schedule
	if err := run(f); err != nil {
		t.Fatalf("-init with -latent 4 -alpha-max 60: %v", err)
	}
	w, err = weights.ReadFile(filepath.Join(f.out, "second"+weights.Ext), weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if cfg := w.Metadata["config"]; !strings.Contains(cfg, `"latent":4`) || !strings.Contains(cfg, `"alpha_max":60`) {
		t.Errorf("-init -latent 4 -alpha-max 60 wrote config %s", cfg)
	}
	f.latent = 1
	if err := run(f); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("-init with a narrower -latent: %v", err)
	}
}
