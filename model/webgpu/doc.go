// Package webgpu implements tensor.Backend on the shaders runtime: every op is a WGSL kernel
// recorded into the current command buffer, so a training step is submitted once. It adds
// no maths of its own; it maps tensors to buffer ranges and op arguments to the kernels'
// uniforms. It imports model/tensor and shaders.
package webgpu
