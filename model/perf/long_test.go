package perf_test

import (
	"testing"

	"flowsphere/model/perf"
	"flowsphere/model/webgpu/webgputest"
)

// TestLongSubmission runs a joint training step of the small config at batch 16 on WebGPU to
// the end. On Mesa's lavapipe (CI) each of its four command buffers runs for tens of seconds
// (the step takes 75 s of CPU time, 2.5–7 min on a busy 2-core machine), far past the 5 s after which
// wgpu-native's blocking poll gives up and frees the submission's command buffers and
// staging buffers while the device still runs them (gfx-rs/wgpu#4589). Evidence, from a
// small step at batch 2 under VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation with the
// runtime as it was (a blocking poll after each submission on a CPU adapter, and in each
// readback): after the sixth submission (1,878 dispatches) Poll(true) returned at 5.02 s
// saying "queue empty", and within that poll the layer reported
// VUID-vkResetCommandPool-commandPool-00040 (4 command buffers in use) and
// VUID-vkDestroyBuffer-buffer-00922 (8 buffers in use); lavapipe's queue thread then
// segfaulted, in 3 runs of 3, and this test died with SIGSEGV. With the runtime's
// non-blocking polls (shaders/poll.go) the layer reports nothing and the step finishes.
func TestLongSubmission(t *testing.T) {
	dev := webgputest.Open(t)
	w, err := perf.Step(dev, perf.StepShape{Config: "small", Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	w.Free()
	if err := dev.Runtime().Err(); err != nil {
		t.Fatal(err)
	}
}
