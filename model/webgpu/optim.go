package webgpu

import "flowsphere/model/tensor"

// GradClip writes the clip scale and finiteness flag of g's global norm.
func (be *Backend) GradClip(scale, g *tensor.Tensor, n int, maxNorm float32) {
	be.rt.GradClip(buf(scale), buf(g), n, maxNorm)
}

// AdamW takes one AdamW step on p, m and v.
func (be *Backend) AdamW(p, g, m, v, scale *tensor.Tensor, n int, lr, beta1, beta2, eps, wd float32, step int) {
	s, hasScale := be.optional(scale)
	be.rt.AdamW(buf(p), buf(g), buf(m), buf(v), s, hasScale != 0, n, lr, beta1, beta2, eps, wd, step)
}
