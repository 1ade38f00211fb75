package engine

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/weights"
)

// TestStart loads the weights and draws a first grid; the host hears about it.
func TestStart(t *testing.T) {
	h := newHost()
	a := newApp(t, h)
	s := settle(t, a)
	if s.State != StateReady || s.Grids != 1 || s.Model != "tiny.safetensors.zst" || s.Config != "tiny" || s.Params == 0 || s.Seed != firstSeed {
		t.Fatalf("state %+v", s)
	}
	snap := a.Frame()
	if len(snap.Grid.Refined) != GridSize || len(snap.Grid.Decoded[0]) != 4*32*32 {
		t.Fatalf("grid of %d images", len(snap.Grid.Refined))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if n := len(h.statuses); n < 2 || !strings.HasPrefix(h.statuses[0], StateLoading) || !strings.HasPrefix(h.statuses[n-1], StateReady) {
		t.Fatalf("statuses %q", h.statuses)
	}
}

// TestViewCommands runs the commands that replace the grid and checks the state each leaves.
func TestViewCommands(t *testing.T) {
	a := newApp(t, newHost())
	settle(t, a)
	tests := []struct {
		name string
		do   func()
		want func(s StateSnapshot, g Grid) bool
	}{
		{"generate", func() { a.Generate(5, 2) }, func(s StateSnapshot, g Grid) bool {
			return s.View == ViewSamples && s.Seed == 5 && s.Steps == 2 && g.Centre == -1
		}},
		{"steps clamp to 8", func() { a.Generate(6, 20) }, func(s StateSnapshot, _ Grid) bool { return s.Steps == MaxSteps }},
		{"AE only", func() { a.Generate(6, 0) }, func(s StateSnapshot, g Grid) bool {
			return s.Steps == 0 && bytes.Equal(g.Decoded[3], g.Refined[3])
		}},
		{"neighbours", func() { a.Neighbours(3, 30) }, func(s StateSnapshot, g Grid) bool {
			return s.View == ViewNeighbours && g.Centre == 0 && len(g.Refined) == GridSize
		}},
		{"walk", func() { a.Walk(true) }, func(s StateSnapshot, _ Grid) bool { return s.View == ViewWalk }},
		{"back to samples", func() { a.Generate(6, 1) }, func(s StateSnapshot, _ Grid) bool { return s.View == ViewSamples }},
	}
	for _, tc := range tests {
		before := a.State().Grids
		tc.do()
		s := waitFor(t, a, tc.name, func(s StateSnapshot) bool { return !s.Busy && s.Grids > before })
		if !tc.want(s, a.Frame().Grid) || s.Error != "" {
			t.Errorf("%s: state %+v", tc.name, s)
		}
	}
}

// TestWalkAnimates checks that the walk keeps producing frames on its own, and stops: after
// Walk(false) no frame arrives for twice the time that three walk frames took.
func TestWalkAnimates(t *testing.T) {
	a := newApp(t, newHost())
	settle(t, a)
	a.Walk(true)
	start := waitFor(t, a, "walk", func(s StateSnapshot) bool { return s.View == ViewWalk }).Grids
	began := time.Now()
	waitFor(t, a, "more frames", func(s StateSnapshot) bool { return s.Grids >= start+3 })
	threeFrames := time.Since(began)
	a.Walk(false)
	s := settle(t, a)
	if s.View != ViewWalk || s.Error != "" {
		t.Fatalf("after stopping: %+v", s)
	}
	time.Sleep(2 * threeFrames)
	if again := a.State(); again.Grids != s.Grids {
		t.Fatalf("frames after the walk stopped: %d → %d in %v", s.Grids, again.Grids, 2*threeFrames)
	}
}

// TestBadInputKeepsState feeds each kind of bad file: each gives an error that names the
// problem, and the model, grid and images stay; the next good command clears the error.
func TestBadInputKeepsState(t *testing.T) {
	a := newApp(t, newHost())
	settle(t, a)
	a.AddFiles([]File{pngFile(t, 0)})
	before := settle(t, a)
	grid := a.Frame().Grid
	good := tinyWeights(t, 9, nil)
	tests := []struct {
		name string
		do   func()
		want []string
	}{
		{"corrupt weights", func() { a.LoadWeights("broken.safetensors.zst", good[:len(good)/2]) }, []string{"broken.safetensors.zst"}},
		{"not zstd", func() { a.LoadWeights("junk.safetensors.zst", []byte("hello")) }, []string{"junk.safetensors.zst"}},
		{"another model", func() {
			a.LoadWeights("other.safetensors.zst", tinyWeights(t, 9, func(m map[string]string) { delete(m, gen.FormatKey) }))
		}, []string{"other.safetensors.zst", "not a flowsphere model"}},
		{"not an image", func() { a.AddFiles([]File{{Name: "notes.txt", Data: []byte("just text")}}) }, []string{"notes.txt", "not a PNG"}},
		{"zero bytes", func() { a.AddFiles([]File{{Name: "empty.png"}}) }, []string{"empty.png", "empty"}},
		{"50 megapixels", func() { a.AddFiles([]File{{Name: "huge.png", Data: hugePNG(t, 7072, 7072)}}) }, []string{"huge.png", "megapixel"}},
		{"dropped junk", func() { a.Drop([]File{{Name: "x.safetensors.zst", Data: []byte{1, 2}}}) }, []string{"x.safetensors.zst"}},
	}
	for _, tc := range tests {
		tc.do()
		s := settle(t, a)
		if s.State != StateError || !mentions(s.Error, tc.want...) || !strings.Contains(s.Status, s.Error) {
			t.Errorf("%s: state %q, error %q; want it to mention %q", tc.name, s.State, s.Error, tc.want)
		}
		if s.Model != before.Model || s.Params != before.Params || s.Images != before.Images || s.Grids != before.Grids {
			t.Errorf("%s changed the app: %+v, was %+v", tc.name, s, before)
		}
		if g := a.Frame().Grid; !bytes.Equal(g.Refined[0], grid.Refined[0]) {
			t.Errorf("%s changed the grid", tc.name)
		}
	}
	a.Generate(2, 1)
	if s := settle(t, a); s.State != StateReady || s.Error != "" {
		t.Fatalf("after a good command: %+v", s)
	}
}

// TestMixedDropAddsTheGoodFiles drops a weight file, two images and a bad file at once.
func TestMixedDropAddsTheGoodFiles(t *testing.T) {
	a := newApp(t, newHost())
	settle(t, a)
	a.Drop([]File{{Name: "new.safetensors.zst", Data: tinyWeights(t, 11, nil)}, pngFile(t, 1), {Name: "bad.jpg", Data: []byte("nope")}, pngFile(t, 2)})
	s := settle(t, a)
	if s.Model != "new.safetensors.zst" || s.Images != 2 || !mentions(s.Error, "bad.jpg") {
		t.Fatalf("state %+v", s)
	}
}

// trained is an app that has fine-tuned steps steps on n images.
func trained(t *testing.T, h *fakeHost, n, steps int) *Engine {
	t.Helper()
	a := newApp(t, h)
	settle(t, a)
	var files []File
	for i := range n {
		files = append(files, pngFile(t, i))
	}
	a.AddFiles(files)
	a.Train(steps)
	waitFor(t, a, "training", func(s StateSnapshot) bool { return s.Step > 0 })
	settle(t, a)
	return a
}

// TestTrainAdvances trains a few steps: the counter advances to the request, the loss is
// finite, and previews come from the EMA.
func TestTrainAdvances(t *testing.T) {
	a := trained(t, newHost(), 8, 12)
	s := a.State()
	if s.Step != 12 || s.Images != 8 || s.Loss == nil || math.IsNaN(*s.Loss) || *s.Loss <= 0 || s.ImagesPerSec <= 0 || s.Error != "" {
		t.Fatalf("state %+v", s)
	}
	snap := a.Frame()
	if len(snap.Losses) != 12/reportEvery+1 || len(snap.Preview.Refined) != GridSize || len(snap.Thumbs) != 8 {
		t.Fatalf("%d losses, %d previews, %d thumbs", len(snap.Losses), len(snap.Preview.Refined), len(snap.Thumbs))
	}
	a.Train(3)
	if s := waitFor(t, a, "3 more", func(s StateSnapshot) bool { return s.Step == 15 && s.State == StateReady }); s.Target < 15 {
		t.Fatalf("target %d below the step", s.Target)
	}
}

// TestTrainNeedsImages refuses to train on nothing.
func TestTrainNeedsImages(t *testing.T) {
	a := newApp(t, newHost())
	settle(t, a)
	a.Train(5)
	if s := settle(t, a); s.Step != 0 || !mentions(s.Error, "no images") {
		t.Fatalf("state %+v", s)
	}
}

// TestPauseStopsTraining pauses a long run.
func TestPauseStopsTraining(t *testing.T) {
	a := newApp(t, newHost())
	settle(t, a)
	a.AddFiles([]File{pngFile(t, 0), pngFile(t, 1)})
	a.Train(100000)
	waitFor(t, a, "training", func(s StateSnapshot) bool { return s.State == StateTraining && s.Step > 0 })
	a.Pause()
	s := settle(t, a)
	if s.State != StateReady || s.Step >= 100000 {
		t.Fatalf("state %+v", s)
	}
	if again := settle(t, a); again.Step != s.Step {
		t.Fatalf("steps after pause: %d → %d", s.Step, again.Step)
	}
}

// TestAddWhileTraining adds images mid-run: the trainer takes them and goes on.
func TestAddWhileTraining(t *testing.T) {
	a := newApp(t, newHost())
	settle(t, a)
	a.AddFiles([]File{pngFile(t, 0), pngFile(t, 1)})
	a.Train(40)
	waitFor(t, a, "training", func(s StateSnapshot) bool { return s.Step > 0 })
	a.AddFiles([]File{pngFile(t, 2), pngFile(t, 3), pngFile(t, 4)})
	s := waitFor(t, a, "done", func(s StateSnapshot) bool { return s.Step == 40 && !s.Busy && s.State != StateTraining })
	if s.Images != 5 || s.Error != "" || len(a.ft.tr.Data.Train) != 5 {
		t.Fatalf("state %+v", s)
	}
}

// TestSaveLoads saves the fine-tuned EMA: the download opens as a model, and loads back.
func TestSaveLoads(t *testing.T) {
	h := newHost()
	a := trained(t, h, 8, 10)
	a.Save()
	s := settle(t, a)
	if s.Saved != "finetuned-8-images-10.safetensors.zst" || s.Error != "" {
		t.Fatalf("state %+v", s)
	}
	data := h.download(s.Saved)
	f, err := weights.Read(bytes.NewReader(data), weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	defer b.Close()
	m, err := gen.Open(b, f)
	if err != nil {
		t.Fatal(err)
	}
	if m.Cfg.Name != "tiny" || f.Metadata["steps"] != "10" || f.Metadata["weights"] != "ema" {
		t.Fatalf("config %s, metadata %v", m.Cfg.Name, f.Metadata)
	}
	a.LoadWeights(s.Saved, data)
	if s := settle(t, a); s.Model != "finetuned-8-images-10.safetensors.zst" || s.Error != "" || s.Step != 0 || s.Images != 8 {
		t.Fatalf("after loading the saved file: %+v", s)
	}
}

// TestStoreRoundTrip checks that a new app on the same store continues the fine-tune: step,
// images, target, loss, the same EMA weights (the same images from a seed), and training
// goes on from there.
func TestStoreRoundTrip(t *testing.T) {
	h := newHost()
	a := trained(t, h, 6, 10)
	a.SetAEOnly(true)
	a.Generate(7, 2)
	want := settle(t, a)
	wantImage := a.Frame().Grid.Refined[5]
	a.Close()
	if h.store.m[StateKey] == nil {
		t.Fatal("nothing stored")
	}

	b := newApp(t, h)
	s := settle(t, b)
	if s.Step != 10 || s.Images != 6 || s.Target != want.Target || !s.AEOnly || s.Model != want.Model || s.Error != "" ||
		s.Loss == nil || math.Abs(*s.Loss-*want.Loss) > 1e-6*math.Abs(*want.Loss) || !strings.Contains(s.Status, "restored") {
		t.Fatalf("restored %+v, want %+v", s, want)
	}
	b.Generate(7, 2)
	settle(t, b)
	if !bytes.Equal(b.Frame().Grid.Refined[5], wantImage) {
		t.Fatal("the restored model draws other images than the one it was stored from")
	}
	b.Train(5)
	if s := waitFor(t, b, "5 more", func(s StateSnapshot) bool { return s.Step == 15 && s.State == StateReady }); s.Error != "" {
		t.Fatalf("after resuming: %+v", s)
	}
}

// TestRestoreRefusesJunk starts with a damaged stored state: the default weights load and
// the error says why the state was not restored.
func TestRestoreRefusesJunk(t *testing.T) {
	h := newHost()
	h.store.m[StateKey] = []byte("not a state")
	a := newApp(t, h)
	s := settle(t, a)
	if s.Model != "tiny.safetensors.zst" || s.Grids != 1 || !mentions(s.Error, "not restored") {
		t.Fatalf("state %+v", s)
	}
}

// TestReset forgets the fine-tune and the stored state.
func TestReset(t *testing.T) {
	h := newHost()
	a := trained(t, h, 3, 5)
	a.Save()
	settle(t, a)
	a.Reset()
	s := settle(t, a)
	if s.Step != 0 || s.Images != 0 || s.Model != "tiny.safetensors.zst" || s.Error != "" || h.store.m[StateKey] != nil {
		t.Fatalf("state %+v, stored %d bytes", s, len(h.store.m[StateKey]))
	}
}

// TestNoWeightsStartsFresh gives the app no weight file: a fresh model, and it works.
func TestNoWeightsStartsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("initialises the small model")
	}
	a := Start(Options{Backend: cpu.New()})
	t.Cleanup(a.Close)
	s := settle(t, a)
	if s.Model != "fresh-small" || s.Config != "small" || s.Grids != 1 || s.Loops != gen.DefaultLoops || s.Error != "" {
		t.Fatalf("state %+v", s)
	}
}

// TestFilesChannel feeds files through Options.Files, as the page's file input does.
func TestFilesChannel(t *testing.T) {
	files := make(chan File, 3)
	a := Start(Options{Backend: cpu.New(), Weights: tinyWeights(t, 3, nil), WeightsName: "tiny", Host: newHost(), Files: files})
	t.Cleanup(a.Close)
	files <- pngFile(t, 0)
	files <- pngFile(t, 1)
	files <- File{Name: "bad.gif", Data: []byte("GIF89a")}
	close(files)
	s := waitFor(t, a, "3 files", func(s StateSnapshot) bool { return s.Images == 2 && s.Error != "" })
	if !mentions(s.Error, "bad.gif", "truncated") {
		t.Fatalf("error %q", s.Error)
	}
}

// TestWalkDuringTraining checks that the walk goes on between training chunks.
func TestWalkDuringTraining(t *testing.T) {
	a := newApp(t, newHost())
	settle(t, a)
	a.AddFiles([]File{pngFile(t, 0), pngFile(t, 1)})
	a.Train(100000)
	a.Walk(true)
	start := waitFor(t, a, "walking while training", func(s StateSnapshot) bool { return s.View == ViewWalk && s.State == StateTraining })
	waitFor(t, a, "frames and steps", func(s StateSnapshot) bool { return s.Grids >= start.Grids+3 && s.Step > start.Step })
	a.Pause()
	a.Walk(false)
	if s := settle(t, a); s.Error != "" {
		t.Fatalf("state %+v", s)
	}
}
