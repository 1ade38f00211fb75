package webgpu

import "flowsphere/shaders"

// ErrNoAdapter is returned by New when the system (or the browser) offers no WebGPU
// adapter, so that hosts can tell it from a failing one without knowing the shaders
// runtime.
var ErrNoAdapter = shaders.ErrNoAdapter
