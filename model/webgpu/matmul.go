package webgpu

import (
	"flowsphere/model/tensor"
	"flowsphere/shaders"
)

// MatMul computes out = op(a)·op(b) + bias, batched (see tensor.MatMulDims).
// out: [Batch, M, N]; bias: [N] or nil.
func (be *Backend) MatMul(out, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	biasBuf, hasBias := be.optional(bias)
	be.rt.MatMul(buf(out), buf(a), buf(b), biasBuf, hasBias != 0, shaders.MatMulShape(d))
}

// MatMulAdd computes out = res + op(a)·op(b) + bias (see tensor.Ops).
// out, res: [Batch, M, N]; bias: [N] or nil.
func (be *Backend) MatMulAdd(out, res, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	biasBuf, hasBias := be.optional(bias)
	be.rt.MatMulAdd(buf(out), buf(res), buf(a), buf(b), biasBuf, hasBias != 0, shaders.MatMulShape(d))
}

// WeightGrad adds dW += dYᵀ·x and, when dB is not nil, dB += Σ_r dY[r,:].
// dW: [out, in]; dB: [out] or nil; dY: [rows, out]; x: [rows, in].
func (be *Backend) WeightGrad(dW, dB, dY, x *tensor.Tensor, rows, out, in int) {
	dbBuf, hasDB := be.optional(dB)
	be.rt.WeightGrad(buf(dW), dbBuf, buf(dY), buf(x), hasDB != 0, rows, out, in)
}

// SumRows adds the column sums of in: [rows, cols] to out: [cols].
func (be *Backend) SumRows(out, in *tensor.Tensor, rows, cols int) {
	be.rt.SumRows(buf(out), buf(in), rows, cols)
}

// Transpose swaps the last two axes of in: [batch, rows, cols] into out: [batch, cols, rows].
func (be *Backend) Transpose(out, in *tensor.Tensor, batch, rows, cols int) {
	be.rt.Transpose(buf(out), buf(in), batch, rows, cols)
}
