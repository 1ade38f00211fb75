package e2e

import (
	"strings"
	"testing"
)

// firstGridPage opens the tiny model with its 2 loops and lets the page choose the backend.
const firstGridPage = "?weights=e2e/" + tinyWeights + "&loops=" + tinyLoops

// TestBackendChoice: on SwiftShader, a software adapter, the page times the CPU and WebGPU,
// says so while it does, and keeps the faster, naming the probe that decided in the
// backend's note.
func TestBackendChoice(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	tb.logStatuses()
	tb.open(firstGridPage)
	st := tb.waitGrid(0, gridTimeout)
	if eval[bool](tb, "flowsphereGPU.device === null") {
		skipOrFail(t, "the browser offers no WebGPU adapter: the app runs on %q", st.Backend)
	}
	log := tb.statuses()
	if _, ok := firstStatus(log, "loading: timing the CPU and WebGPU on "); !ok {
		t.Errorf("no status said that the backends were being timed")
	}
	if !strings.Contains(st.Backend, "faster here than") || !strings.Contains(st.Backend, " probe") {
		t.Errorf("the backend is %q; want the faster one, naming the probe that decided", st.Backend)
	}
	t.Logf("chose %s", st.Backend)
	logTimeline(t, log)
}
