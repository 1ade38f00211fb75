//go:build !js

package shaders

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"
)

// Natively the binding wraps each call that can fail in an error scope of its own and
// returns the error, so the runtime records errors as they happen (fail) and has nothing
// to watch. The device-lost callback cannot be used: v0.23.0 hands C a Go pointer for it,
// which the cgo checker refuses.

// watch does nothing natively.
func (r *Runtime) watch() {}

// lossReason is "" natively: a loss is known from the call that reports it.
func (r *Runtime) lossReason() string { return "" }

// mapped turns a buffer map's status into the readback's error.
func (r *Runtime) mapped(status wgpu.BufferMapAsyncStatus) error {
	switch status {
	case wgpu.BufferMapAsyncStatusSuccess:
		return nil
	case wgpu.BufferMapAsyncStatusDeviceLost:
		r.markLost("a readback found it lost")
		return r.Lost()
	}
	r.fail(fmt.Errorf("shaders: map for read failed: %v", status))
	return r.Err()
}
