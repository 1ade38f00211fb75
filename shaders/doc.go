// Package shaders holds every WGSL kernel of flowsphere and the small WebGPU runtime that
// compiles and runs them: device setup, pooled storage buffers, pipelines built once with
// explicit layouts, bind groups cached per call site, and one command buffer per step.
//
// Each kernel family is a pair of files: <family>.wgsl with entry points named
// <family>_<pass>, and <family>.go with the family's uniform structs and dispatch maths.
// The same code runs natively (wgpu-native through cogentcore/webgpu) and in the browser.
// It imports nothing of ours; model/webgpu adapts it to the tensor.Backend interface.
package shaders
