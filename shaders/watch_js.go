//go:build js

package shaders

import (
	"errors"
	"fmt"
	"syscall/js"

	"github.com/cogentcore/webgpu/jsx"
	"github.com/cogentcore/webgpu/wgpu"
)

// In the browser the binding has no error scopes and no device-lost event, and it reports
// every buffer map as a success: it ignores a rejected mapAsync, after which
// getMappedRange throws, or would return stale data. The page's shim (site/gpu.js) fills
// in: it keeps the device's loss, keeps the rejection of the last mapAsync, and opens and
// closes error scopes on the device. The runtime keeps its scopes open from Open on and
// reads them at each readback, so an error in any work since the last readback fails it.

// shim is the page's window.flowsphereGPU.
func shim() js.Value { return js.Global().Get("flowsphereGPU") }

// watch opens the runtime's error scopes.
func (r *Runtime) watch() { shim().Call("scope") }

// lossReason is the shim's account of the device's loss, or "" while it works.
func (r *Runtime) lossReason() string { return shim().Get("lost").String() }

// mapped returns the readback's error: the device's loss, the rejection of its mapAsync, or
// an error that the scopes caught. The last two leave the runtime working.
func (r *Runtime) mapped(wgpu.BufferMapAsyncStatus) error {
	rejected := shim().Call("takeMapError").String()
	caught := rescope()
	if err := r.Lost(); err != nil {
		return err
	}
	if rejected != "" {
		return fmt.Errorf("shaders: readback failed: mapAsync was rejected (%s)", rejected)
	}
	if caught != "" {
		return errors.New("shaders: WebGPU error: " + caught)
	}
	return nil
}

// rescope closes the runtime's error scopes, opens new ones and returns the first error the
// closed ones caught, or "".
func rescope() string {
	v, ok := jsx.Await(shim().Call("unscope"))
	shim().Call("scope")
	if !ok {
		return "reading the error scopes failed: " + js.Global().Call("String", v).String()
	}
	return v.String()
}
