//go:build js

package shaders

import "github.com/cogentcore/webgpu/wgpu"

// endComputePass ends p; in the browser End reports nothing (errors go to the device).
func endComputePass(p *wgpu.ComputePassEncoder) error {
	p.End()
	return nil
}
