package perf

import (
	"testing"

	"flowsphere/model/cpu"
)

// TestProbe runs each of the app's probes on the CPU backend: each takes some time and
// none fails.
func TestProbe(t *testing.T) {
	for _, s := range AppProbes {
		if d, err := Probe(cpu.New(), s); err != nil || d <= 0 {
			t.Errorf("Probe(%s) = %v, %v; want a positive time", s.Name, d, err)
		}
	}
}
