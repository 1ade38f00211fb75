package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Bounds on the waits. SwiftShader runs WebGPU and WebGL on the CPU, which the tests share
// with others: generous, but a hang still ends.
const (
	gridTimeout  = 4 * time.Minute
	stepTimeout  = 10 * time.Minute
	errorTimeout = time.Minute
)

// TestFirstGrid: the page loads, #status reaches ready and names the WebGPU adapter, and
// the first grid is drawn; another seed redraws the images.
func TestFirstGrid(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	start := time.Now()
	tb.open(tinyPage)
	st := tb.waitGrid(0, gridTimeout)
	t.Logf("page open to first grid: %.1f s (tiny model)", time.Since(start).Seconds())
	requireWebGPU(t, st)
	if st.State != "ready" || st.Error != "" {
		t.Fatalf("after the first grid the app is %q (error %q)", st.State, st.Error)
	}
	if strconv.Itoa(st.Loops) != tinyLoops {
		t.Errorf("the app runs %d encode→decode loops; the page asked for %s", st.Loops, tinyLoops)
	}
	line := tb.status()
	if line.State != "ready" || !strings.Contains(line.Text, "WebGPU: ") {
		t.Errorf("#status is %q %q; want ready, naming the WebGPU adapter", line.State, line.Text)
	}
	first := tb.screenshot()
	saveArtifact(t, "first-grid.png", first)
	img := decodePNG(t, first)
	if n := colours(img, 1000); n < 100 {
		t.Errorf("the screenshot has %d colours: the canvas looks blank", n)
	}

	eval[any](tb, "flowsphere.generate(2, 4)")
	tb.waitGrid(st.Grids, gridTimeout)
	second := tb.screenshot()
	saveArtifact(t, "second-grid.png", second)
	// 16 images of 32×32 pixels, AE decode and refined, are drawn at least 2× larger; the
	// seed's label alone changes a few hundred pixels.
	if n := changedPixels(img, decodePNG(t, second)); n < 16*32*32 {
		t.Errorf("a grid from another seed changed %d pixels of the page: the images are not drawn", n)
	}

	t.Run("shim", func(t *testing.T) { checkShim(tb.in(t)) })
}

// checkShim checks that site/gpu.js gives the app's device the adapter's buffer limits
// (TestHonestReadbacks checks the errors it reports).
func checkShim(tb *tab) {
	limits := eval[[4]float64](tb, `(async () => {
		const a = await navigator.gpu.requestAdapter(), d = flowsphereGPU.device;
		return [a.limits.maxStorageBufferBindingSize, d.limits.maxStorageBufferBindingSize, a.limits.maxBufferSize, d.limits.maxBufferSize];
	})()`, chromedp.EvalAwaitPromise)
	if limits[0] != limits[1] || limits[2] != limits[3] {
		tb.t.Errorf("device limits %v, %v; want the adapter's %v, %v", limits[1], limits[3], limits[0], limits[2])
	}
}

// TestNoWebGPU: in a browser without a WebGPU adapter the page says so and still generates,
// on the CPU backend; the notice leaves the rest of the page as it is drawn (at 1280×900 it
// once blacked out a band across the app's header).
func TestNoWebGPU(t *testing.T) {
	t.Parallel()
	tb := newTab(t, false)
	tb.viewport(1280, 900)
	tb.open(tinyPage)
	st := tb.waitGrid(0, gridTimeout)
	if !strings.HasPrefix(st.Backend, "cpu") || st.State != "ready" {
		t.Fatalf("without WebGPU the app is %q on %q; want ready on the CPU backend", st.State, st.Backend)
	}
	notice := eval[string](tb, `(() => { const n = document.getElementById("notice"); return n.hidden ? "" : n.textContent; })()`)
	if !strings.Contains(notice, "WebGPU") || !strings.Contains(notice, "CPU") {
		t.Errorf("the page's notice says %q; want it to say that WebGPU is missing and the CPU is used", notice)
	}
	shot := tb.screenshot()
	saveArtifact(t, "no-webgpu.png", shot)
	if n := blackRows(decodePNG(t, shot)); n > 0 {
		t.Errorf("%d rows of the page are black from edge to edge: something hides the app", n)
	}
}

// TestBadInput: a corrupt weight file, a file that is not an image and an empty file each
// give an error that names the file, and the app keeps its model and still generates.
func TestBadInput(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	tb.open(tinyPage)
	before := tb.waitGrid(0, gridTimeout)
	for _, name := range []string{brokenWeights, notAnImage, emptyFile} {
		t.Run(name, func(t *testing.T) {
			tb := tb.in(t)
			tb.upload(fixture(name))
			st := tb.waitState("an error naming "+name, errorTimeout, func(s appState) bool {
				return s.State == "error" && strings.Contains(s.Error, name)
			})
			tb.errorThenGrid(st, name, before)
		})
	}
}
