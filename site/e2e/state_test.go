package e2e

import (
	"strings"
	"testing"
	"time"
)

// appState is what the tests read of window.flowsphere.state(), the JSON of
// ui.StateSnapshot (package ui is not imported: natively it needs Ebiten's C toolchain).
type appState struct {
	State        string   `json:"state"`
	Status       string   `json:"status"`
	Error        string   `json:"error"`
	Busy         bool     `json:"busy"`
	Backend      string   `json:"backend"`
	Model        string   `json:"model"`
	Config       string   `json:"config"`
	Grids        int      `json:"grids"`
	Loops        int      `json:"loops"`
	Images       int      `json:"images"`
	Step         int      `json:"step"`
	Loss         *float64 `json:"loss"`
	ImagesPerSec float64  `json:"images_per_sec"`
	Saved        string   `json:"saved"`
	DeviceLosses int      `json:"device_losses"`
	ResumedStep  int      `json:"resumed_step"`
	Notice       string   `json:"notice"`
	Buffers      int      `json:"buffers"`
	BufferBytes  int64    `json:"buffer_bytes"`
}

// idle reports whether the app has finished every queued command.
func (s appState) idle() bool { return !s.Busy && s.State != "loading" && s.State != "training" }

// waitState polls the app's state until ok accepts it.
func (tb *tab) waitState(what string, timeout time.Duration, ok func(appState) bool) appState {
	tb.t.Helper()
	return *poll(tb, what, "window.flowsphere ? flowsphere.state() : null", timeout, func(s *appState) bool {
		return s != nil && ok(*s)
	})
}

// waitGrid waits until the app has drawn more than grids grids and is idle.
func (tb *tab) waitGrid(grids int, timeout time.Duration) appState {
	tb.t.Helper()
	return tb.waitState("a new grid", timeout, func(s appState) bool { return s.Grids > grids && s.idle() })
}

// statusLine is the page's #status element.
type statusLine struct {
	State string `json:"state"`
	Text  string `json:"text"`
}

// status reads #status.
func (tb *tab) status() statusLine {
	tb.t.Helper()
	return eval[statusLine](tb, `(() => { const s = document.getElementById("status"); return {state: s.dataset.state, text: s.textContent}; })()`)
}

// requireWebGPU skips the test (fails it under FLOWSPHERE_REQUIRE_GPU=1) when the app did
// not get a WebGPU adapter.
func requireWebGPU(t *testing.T, s appState) {
	t.Helper()
	if len(s.Backend) < 6 || s.Backend[:6] != "webgpu" {
		skipOrFail(t, "the browser offers no WebGPU adapter: the app runs on %q", s.Backend)
	}
}

// openWithImages opens the app on the tiny model, skips the test when it runs without
// WebGPU (fails it under FLOWSPHERE_REQUIRE_GPU=1), and picks the eight fine-tune images
// with the file input.
func (tb *tab) openWithImages() {
	tb.t.Helper()
	tb.open(tinyPage)
	requireWebGPU(tb.t, tb.waitGrid(0, gridTimeout))
	var images []string
	for i := range trainImages {
		images = append(images, fixture(imageName(i)))
	}
	tb.upload(images...)
	tb.waitState("8 fine-tune images", errorTimeout, func(s appState) bool { return s.Images == trainImages && s.idle() })
}

// errorThenGrid checks that #status shows the app's error st, which says says, and that a
// new grid then leaves the app ready with the model, images and backend of before.
func (tb *tab) errorThenGrid(st appState, says string, before appState) {
	tb.t.Helper()
	if line := tb.status(); line.State != "error" || !strings.Contains(line.Text, says) {
		tb.t.Errorf("#status is %q %q; want the error saying %q", line.State, line.Text, says)
	}
	eval[any](tb, "flowsphere.generate(3, 2)")
	st = tb.waitGrid(st.Grids, gridTimeout)
	if st.State != "ready" || st.Model != before.Model || st.Images != before.Images || st.Backend != before.Backend {
		tb.t.Errorf("after the error a new grid leaves the app %q with %q, %d images on %q; want ready with %q, %d on %q",
			st.State, st.Model, st.Images, st.Backend, before.Model, before.Images, before.Backend)
	}
}
