package e2e

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/weights"
)

// fineTuneSteps is how many steps the browser trains.
const fineTuneSteps = 20

// TestFineTune: eight images picked with the file input, twenty training steps with a
// finite loss, Save downloads a weight file that the native code path of tools/sample
// loads and samples from, and a reload restores the step count and the images from the
// browser's storage.
func TestFineTune(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	downloads := t.TempDir()
	tb.allowDownloads(downloads)
	tb.openWithImages()

	start := time.Now()
	eval[any](tb, fmt.Sprintf("flowsphere.train(%d)", fineTuneSteps))
	st := tb.waitState("20 training steps", stepTimeout, func(s appState) bool {
		return s.Step >= fineTuneSteps && s.idle() || s.State == "error"
	})
	took := time.Since(start)
	if st.State == "error" || st.Step != fineTuneSteps {
		t.Fatalf("training stopped at step %d in state %q: %s", st.Step, st.State, st.Error)
	}
	if st.Loss == nil || math.IsNaN(*st.Loss) || math.IsInf(*st.Loss, 0) {
		t.Fatalf("loss after %d steps is %v, want a finite number", st.Step, st.Loss)
	}
	t.Logf("%d fine-tune steps in %.1f s (%.2f s a step, the first with pipeline creation), loss %.4f, %.1f images/s",
		st.Step, took.Seconds(), took.Seconds()/fineTuneSteps, *st.Loss, st.ImagesPerSec)
	saveArtifact(t, "fine-tune.png", tb.screenshot())

	t.Run("save", func(t *testing.T) {
		tb := tb.in(t)
		eval[any](tb, "flowsphere.save()")
		st := tb.waitState("a saved file", errorTimeout, func(s appState) bool { return s.Saved != "" && s.idle() })
		path := waitDownload(t, filepath.Join(downloads, st.Saved))
		sampleNatively(t, path)
	})

	t.Run("reload", func(t *testing.T) {
		tb := tb.in(t)
		tb.open(tinyPage)
		st := tb.waitGrid(0, gridTimeout)
		if st.Step != fineTuneSteps || st.Images != trainImages {
			t.Errorf("after a reload: step %d with %d images, want step %d with %d", st.Step, st.Images, fineTuneSteps, trainImages)
		}
		if loads := eval[string](tb, `document.getElementById("load-text").textContent`); !strings.Contains(loads, "weights: ") || !strings.Contains(loads, "from the browser cache") {
			t.Errorf("the loading indicator says %q: the weights were downloaded again", loads)
		}
	})
}

// waitDownload waits until Chromium has finished writing path.
func waitDownload(t *testing.T, path string) string {
	t.Helper()
	for deadline := time.Now().Add(errorTimeout); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	t.Fatalf("no download %s; the folder holds %s", filepath.Base(path), strings.Join(names, ", "))
	return ""
}

// sampleNatively loads a weight file as tools/sample does and generates from it.
func sampleNatively(t *testing.T, path string) {
	t.Helper()
	f, err := weights.ReadFile(path, weights.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	m, err := gen.Open(b, f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer m.Free(b)
	g := m.NewGenerator(b, 4)
	defer g.Free(b)
	_, refined, err := g.Generate(b, 1, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, img := range refined {
		for _, v := range img {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("image %d sampled from the saved weights holds %v", i, v)
			}
		}
	}
	t.Logf("sampled %d images natively from %s (%s config)", len(refined), filepath.Base(path), m.Cfg.Name)
}
