package webgpu

import (
	"flowsphere/model/tensor"
	"flowsphere/shaders"
)

// MatMul computes out = op(a)·op(b) + bias, batched (see tensor.MatMulDims).
// out: [Batch, M, N]; bias: [N] or nil.
func (be *Backend) MatMul(out, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	biasBuf, hasBias := be.optional(bias)
	be.rt.MatMul(buf(out), buf(a), buf(b), biasBuf, hasBias != 0, matmulShape(d))
}

// MatMulAdd computes out = res + op(a)·op(b) + bias (see tensor.Ops).
// out, res: [Batch, M, N]; bias: [N] or nil.
func (be *Backend) MatMulAdd(out, res, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	biasBuf, hasBias := be.optional(bias)
	be.rt.MatMulAdd(buf(out), buf(res), buf(a), buf(b), biasBuf, hasBias != 0, matmulShape(d))
}

// LinearBackward is the backward of a linear layer applied to f(x), f = d.Act or the
// identity (see tensor.Ops), in one dispatch. dIn, x: [Rows, In]; dW, w: [Out, In];
// dB: [Out] or nil; dY: [Rows, Out].
func (be *Backend) LinearBackward(dIn, dW, dB, dY, w, x *tensor.Tensor, d tensor.LinearDims) {
	dbBuf, hasDB := be.optional(dB)
	dInBuf, hasDIn := be.optional(dIn)
	wBuf := buf(dY) // unread without dIn
	if dIn != nil {
		wBuf = buf(w)
	}
	be.rt.LinearBackward(dInBuf, buf(dW), dbBuf, buf(dY), wBuf, buf(x), shaders.LinearShape{
		Rows: d.Rows, Out: d.Out, In: d.In, HasDIn: hasDIn != 0, HasDB: hasDB != 0, Accumulate: d.Accumulate, Act: int(d.Act)})
}

// matmulShape is d for the runtime.
func matmulShape(d tensor.MatMulDims) shaders.MatMulShape {
	return shaders.MatMulShape{M: d.M, N: d.N, K: d.K, TransA: d.TransA, TransB: d.TransB, ActA: int(d.ActA),
		Accumulate: d.Accumulate, Batch: d.Batch, StrideA: d.StrideA, StrideB: d.StrideB, StrideOut: d.StrideOut, F16: d.F16}
}

// SumRows adds the column sums of in: [rows, cols] to out: [cols].
func (be *Backend) SumRows(out, in *tensor.Tensor, rows, cols int) {
	be.rt.SumRows(buf(out), buf(in), rows, cols)
}

// Transpose swaps the last two axes of in: [batch, rows, cols] into out: [batch, cols, rows].
func (be *Backend) Transpose(out, in *tensor.Tensor, batch, rows, cols int) {
	be.rt.Transpose(buf(out), buf(in), batch, rows, cols)
}
