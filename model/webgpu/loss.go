package webgpu

import "flowsphere/model/tensor"

// SmoothL1 writes the per-row Huber loss and its gradient.
func (be *Backend) SmoothL1(loss, dPred, pred, target *tensor.Tensor, rows, cols int, beta, gradScale float32) {
	be.rt.SmoothL1(buf(loss), buf(dPred), buf(pred), buf(target), rows, cols, beta, gradScale)
}

// MSE writes the per-row (weighted) squared error and its gradient.
func (be *Backend) MSE(loss, dPred, pred, target, weight *tensor.Tensor, rows, cols int, gradScale float32) {
	w, hasWeight := be.optional(weight)
	be.rt.MSE(buf(loss), buf(dPred), buf(pred), buf(target), w, hasWeight != 0, rows, cols, gradScale)
}

// Cosine writes the per-row cosine distance and its gradients.
func (be *Backend) Cosine(loss, dA, dB, a, b *tensor.Tensor, rows, cols int, gradScale float32) {
	db, hasDB := be.optional(dB)
	be.rt.Cosine(buf(loss), buf(dA), db, buf(a), buf(b), hasDB != 0, rows, cols, gradScale)
}
