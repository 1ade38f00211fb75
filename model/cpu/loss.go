package cpu

import "flowsphere/model/tensor"

// SmoothL1 writes the per-row Huber loss and its gradient.
func (be *Backend[T]) SmoothL1(loss, dPred, pred, target *tensor.Tensor, rows, cols int, beta, gradScale float32) {
	smoothL1(data[T](loss), data[T](dPred), data[T](pred), data[T](target), rows, cols, T(beta), T(gradScale))
}

// MSE writes the per-row (weighted) squared error and its gradient.
func (be *Backend[T]) MSE(loss, dPred, pred, target, weight *tensor.Tensor, rows, cols int, gradScale float32) {
	mse(data[T](loss), data[T](dPred), data[T](pred), data[T](target), data[T](weight), rows, cols, T(gradScale))
}

// Cosine writes the per-row cosine distance and its gradients; norms below 1e-8 count as
// 1e-8, so a zero row has loss 1 and finite gradients.
func (be *Backend[T]) Cosine(loss, dA, dB, a, b *tensor.Tensor, rows, cols int, gradScale float32) {
	cosine(data[T](loss), data[T](dA), data[T](dB), data[T](a), data[T](b), rows, cols, T(gradScale))
}
