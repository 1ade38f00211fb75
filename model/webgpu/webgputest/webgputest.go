// Package webgputest opens the WebGPU backend for tests: a missing adapter skips the test,
// unless FLOWSPHERE_REQUIRE_GPU=1 (as in CI) makes it a failure. It imports model/webgpu.
package webgputest

import (
	"os"
	"testing"

	"flowsphere/model/webgpu"
)

// Open returns a WebGPU backend closed when the test ends.
func Open(t testing.TB) *webgpu.Backend {
	t.Helper()
	b, err := webgpu.New()
	if err != nil {
		if os.Getenv("FLOWSPHERE_REQUIRE_GPU") == "1" {
			t.Fatalf("FLOWSPHERE_REQUIRE_GPU=1 but WebGPU is unavailable: %v", err)
		}
		t.Skipf("no WebGPU adapter: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}
