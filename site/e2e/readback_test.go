package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestHonestReadbacks: a readback that cannot be trusted is an error that the app shows,
// with its cause, and the next grid works. A rejected mapAsync (the library's binding
// reports every map as a success) and a WebGPU error that the runtime's error scopes
// caught (here from an invalid buffer) each fail the grid that reads back next.
func TestHonestReadbacks(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	tb.beforeLoad(failMaps)
	tb.open(tinyPage)
	before := tb.waitGrid(0, gridTimeout)
	requireWebGPU(t, before)
	for i, c := range []struct {
		name, fault, says string
	}{
		{"rejected map", "window.failMaps = 1", "mapAsync was rejected (OperationError: map refused by the test)"},
		{"error scope", "flowsphereGPU.device.createBuffer({size: 4, usage: 0})", "WebGPU error: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := tb.in(t)
			eval[any](tb, fmt.Sprintf("%s; flowsphere.generate(%d, 2)", c.fault, 3+i))
			st := tb.waitState("an error", errorTimeout, func(s appState) bool { return s.State == "error" && !s.Busy })
			if !strings.Contains(st.Error, c.says) || st.DeviceLosses != 0 {
				t.Fatalf("the app says %q after %d device losses; want %q", st.Error, st.DeviceLosses, c.says)
			}
			tb.errorThenGrid(st, c.says, before)
		})
	}
}
