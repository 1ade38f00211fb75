package webgpu_test

import (
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/opcheck"
	"flowsphere/model/webgpu/webgputest"
)

// TestParity runs the shared case table on WebGPU against the CPU reference.
func TestParity(t *testing.T) {
	dev := webgputest.Open(t)
	ref := cpu.NewReference()
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
