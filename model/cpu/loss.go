package cpu

import "flowsphere/model/tensor"

// SmoothL1 is not implemented yet.
func (be *Backend) SmoothL1(loss, dPred, pred, target *tensor.Tensor, rows, cols int, beta, gradScale float32) {
	panic("cpu: SmoothL1 not implemented")
}

// MSE is not implemented yet.
func (be *Backend) MSE(loss, dPred, pred, target, weight *tensor.Tensor, rows, cols int, gradScale float32) {
	panic("cpu: MSE not implemented")
}

// Cosine is not implemented yet.
func (be *Backend) Cosine(loss, dA, dB, a, b *tensor.Tensor, rows, cols int, gradScale float32) {
	panic("cpu: Cosine not implemented")
}
