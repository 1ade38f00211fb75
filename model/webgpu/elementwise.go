package webgpu

import "flowsphere/model/tensor"

// Fill sets every element of out to value.
func (be *Backend) Fill(out *tensor.Tensor, value float32) { be.rt.FillConst(buf(out), value) }

// Axpby computes y ← alpha·x + beta·y.
func (be *Backend) Axpby(y, x *tensor.Tensor, alpha, beta float32) {
	be.rt.Axpby(buf(y), buf(x), alpha, beta)
}

// RowAxpby computes y[r,:] ← alpha[r]·x[r,:] + beta[r]·y[r,:].
func (be *Backend) RowAxpby(y, x, alpha, beta *tensor.Tensor, rows, cols int) {
	be.rt.RowAxpby(buf(y), buf(x), buf(alpha), buf(beta), rows, cols)
}

// Copy2D copies or adds a strided rows×cols block.
func (be *Backend) Copy2D(dst, src *tensor.Tensor, rows, cols, dstOff, dstStride, srcOff, srcStride int, accumulate bool) {
	be.rt.Copy2D(buf(dst), buf(src), rows, cols, dstOff, dstStride, srcOff, srcStride, accumulate)
}

// AddBroadcast adds x to every batch item of y.
func (be *Backend) AddBroadcast(y, x *tensor.Tensor, batch, n int) {
	be.rt.AddBroadcast(buf(y), buf(x), batch, n)
}
