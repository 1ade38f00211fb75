package cpu

import "flowsphere/model/tensor"

// Fill sets every element of out to value.
func (be *Backend) Fill(out *tensor.Tensor, value float32) { fill(out.Host, value) }

// Axpby computes y ← alpha·x + beta·y.
func (be *Backend) Axpby(y, x *tensor.Tensor, alpha, beta float32) {
	axpby(y.Host, x.Host[:len(y.Host)], alpha, beta)
}

// RowAxpby computes y[r,:] ← alpha[r]·x[r,:] + beta[r]·y[r,:].
func (be *Backend) RowAxpby(y, x, alpha, beta *tensor.Tensor, rows, cols int) {
	rowAxpby(y.Host, x.Host, alpha.Host, beta.Host, rows, cols)
}

// Copy2D copies or adds a strided rows×cols block.
func (be *Backend) Copy2D(dst, src *tensor.Tensor, rows, cols, dstOff, dstStride, srcOff, srcStride int, accumulate bool) {
	copy2D(dst.Host, src.Host, rows, cols, dstOff, dstStride, srcOff, srcStride, accumulate)
}

// AddBroadcast adds x to every batch item of y.
func (be *Backend) AddBroadcast(y, x *tensor.Tensor, batch, n int) {
	addBroadcast(y.Host, x.Host, batch, n)
}
