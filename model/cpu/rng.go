package cpu

import "flowsphere/model/tensor"

// Rand fills out with n draws of the Philox4x32-10 stream (seed, counter).
func (be *Backend[T]) Rand(out *tensor.Tensor, n int, seed, counter uint64, d tensor.Distribution) {
	philoxFill(data[T](out)[:n], seed, counter, d == tensor.Normal)
}
