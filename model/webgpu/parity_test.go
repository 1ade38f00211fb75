package webgpu

import (
	"os"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/opcheck"
)

// openDevice opens the WebGPU backend for a test, skipping when there is no adapter unless
// FLOWSPHERE_REQUIRE_GPU=1 makes that a failure.
func openDevice(t testing.TB) *Backend {
	t.Helper()
	b, err := New()
	if err != nil {
		if os.Getenv("FLOWSPHERE_REQUIRE_GPU") == "1" {
			t.Fatalf("FLOWSPHERE_REQUIRE_GPU=1 but WebGPU is unavailable: %v", err)
		}
		t.Skipf("no WebGPU adapter: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

// TestParity runs the shared case table on WebGPU against the CPU reference.
func TestParity(t *testing.T) {
	dev := openDevice(t)
	ref := cpu.New()
	t.Logf("adapter: %+v", dev.Info())
	for _, c := range opcheck.All() {
		t.Run(c.Family+"/"+c.Label(), func(t *testing.T) {
			r := opcheck.RunCase(c, ref, dev)
			if !r.Pass {
				t.Errorf("%s (max abs %.3g, max rel %.3g)", r.Err, r.MaxAbs, r.MaxRel)
			}
		})
	}
}
