package webgpu

import "flowsphere/model/tensor"

// Rand is not implemented yet.
func (be *Backend) Rand(out *tensor.Tensor, n int, seed, counter uint64, d tensor.Distribution) {
	panic("webgpu: Rand not implemented")
}
