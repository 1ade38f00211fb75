package shaders

import (
	"errors"
	"fmt"
	"strings"
)

// ErrDeviceLost is wrapped by the errors of a runtime whose device is gone: a GPU reset, a
// driver update, the browser reclaiming the GPU, or device.destroy(). Nothing created on it
// works again; the caller opens a new Runtime and uploads its data again.
var ErrDeviceLost = errors.New("the WebGPU device was lost")

// Lost returns an error wrapping ErrDeviceLost once the runtime knows that its device is
// lost, else nil. In the browser the page's shim tells at once (site/gpu.js); natively the
// loss shows in the next call that reports it.
func (r *Runtime) Lost() error {
	if reason := r.lossReason(); reason != "" {
		r.markLost(reason)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lost
}

// check returns the runtime's error, having asked the page whether the device is lost.
func (r *Runtime) check() error {
	r.Lost()
	return r.Err()
}

// markLost records the loss, once, and makes it the runtime's error: every later call
// fails with it.
func (r *Runtime) markLost(reason string) {
	r.mu.Lock()
	if r.lost == nil {
		r.lost = fmt.Errorf("%w (%s)", ErrDeviceLost, reason)
		r.err = r.lost
	}
	r.mu.Unlock()
}

// reportsLoss reports whether a wgpu error message says that the device is gone
// (wgpu-core: "Parent device is lost").
func reportsLoss(err error) bool {
	return strings.Contains(strings.ToLower(err.Error()), "device is lost")
}
