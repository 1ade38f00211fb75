package webgpu

import "flowsphere/model/tensor"

// GradClip is not implemented yet.
func (be *Backend) GradClip(scale, g *tensor.Tensor, n int, maxNorm float32) {
	panic("webgpu: GradClip not implemented")
}

// AdamW is not implemented yet.
func (be *Backend) AdamW(p, g, m, v, scale *tensor.Tensor, n int, lr, beta1, beta2, eps, wd float32, step int) {
	panic("webgpu: AdamW not implemented")
}
