//go:build js

package shaders

import "github.com/cogentcore/webgpu/wgpu"

// f16Features is empty in the browser: the binding cannot pass features to requestDevice,
// so the page's shim (site/gpu.js) asks for shader-f16 wherever the adapter has it.
func f16Features(*wgpu.Adapter) []wgpu.FeatureName { return nil }

// hasF16 says whether the shim's device has shader-f16, which browsers' WGSL compilers
// take as soon as the device has it.
func (r *Runtime) hasF16() bool { return shim().Get("f16").Truthy() }
