package cpu

import "flowsphere/model/tensor"

// Fill sets every element of out to value.
func (be *Backend[T]) Fill(out *tensor.Tensor, value float32) { fill(data[T](out), T(value)) }

// Axpby computes y ← alpha·x + beta·y.
func (be *Backend[T]) Axpby(y, x *tensor.Tensor, alpha, beta float32) {
	yd := data[T](y)
	axpby(yd, data[T](x)[:len(yd)], T(alpha), T(beta))
}

// RowAxpby computes y[r,:] ← alpha[r]·x[r,:] + beta[r]·y[r,:].
func (be *Backend[T]) RowAxpby(y, x, alpha, beta *tensor.Tensor, rows, cols int) {
	rowAxpby(data[T](y), data[T](x), data[T](alpha), data[T](beta), rows, cols)
}

// Copy2D copies or adds a strided rows×cols block.
func (be *Backend[T]) Copy2D(dst, src *tensor.Tensor, rows, cols, dstOff, dstStride, srcOff, srcStride int, accumulate bool) {
	copy2D(data[T](dst), data[T](src), rows, cols, dstOff, dstStride, srcOff, srcStride, accumulate)
}

// AddBroadcast adds x to every batch item of y.
func (be *Backend[T]) AddBroadcast(y, x *tensor.Tensor, batch, n int) {
	addBroadcast(data[T](y), data[T](x), batch, n)
}
