package shaders

import "time"

// Polling. wgpu-native's blocking poll, Device.Poll(true), waits at most 5 s for the last
// submission and then treats it as finished although the device still runs it: it resets
// the command pools and destroys the staging buffers of that submission, and the driver
// reads freed memory (gfx-rs/wgpu#4589, fixed upstream in 2025, after the wgpu-native that
// cogentcore/webgpu v0.23.0 bundles). On Mesa's lavapipe a small-config training step
// submits 1,878 dispatches that run longer than that, and its queue thread crashed; the
// Vulkan validation layers report the freed command buffers and buffers right after the
// poll that returned at 5.02 s (model/perf TestLongSubmission). A poll that does not wait
// reads the device's true progress, so the runtime only ever polls without waiting, and
// sleeps in between.

// Bounds of the sleep between two polls: short at first, since most waits are short,
// growing to a value that costs the CPU device little.
const (
	firstPollPause = 20 * time.Microsecond
	maxPollPause   = 2 * time.Millisecond
)

// pollUntil polls the device without blocking until done, given whether the queue is
// empty, reports true. In the browser Poll does nothing: done must not depend on it there.
func (r *Runtime) pollUntil(done func(queueEmpty bool) bool) {
	pause := firstPollPause
	for !done(r.device.Poll(false, nil)) {
		time.Sleep(pause)
		pause = min(2*pause, maxPollPause)
	}
}
