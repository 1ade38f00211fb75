//go:build !js

package shaders

import "github.com/cogentcore/webgpu/wgpu"

// endComputePass ends p; natively End reports validation errors.
func endComputePass(p *wgpu.ComputePassEncoder) error { return p.End() }
