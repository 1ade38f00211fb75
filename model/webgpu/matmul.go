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

// LinearBackward computes dIn (+)= dY·W unless dIn is nil, dW += dYᵀ·x and, when dB is
// not nil, dB += Σ_r dY[r,:], in one dispatch. dIn, x: [rows, in]; dW, w: [out, in];
// dB: [out] or nil; dY: [rows, out].
func (be *Backend) LinearBackward(dIn, dW, dB, dY, w, x *tensor.Tensor, rows, out, in int, accumulate bool) {
	dbBuf, hasDB := be.optional(dB)
	dInBuf, hasDIn := be.optional(dIn)
	wBuf := buf(dY) // unread without dIn
	if dIn != nil {
		wBuf = buf(w)
	}
	be.rt.LinearBackward(dInBuf, buf(dW), dbBuf, buf(dY), wBuf, buf(x), hasDIn != 0, hasDB != 0, accumulate, rows, out, in)
}

// SumRows adds the column sums of in: [rows, cols] to out: [cols].
func (be *Backend) SumRows(out, in *tensor.Tensor, rows, cols int) {
	be.rt.SumRows(buf(out), buf(in), rows, cols)
}

// Transpose swaps the last two axes of in: [batch, rows, cols] into out: [batch, cols, rows].
func (be *Backend) Transpose(out, in *tensor.Tensor, batch, rows, cols int) {
	be.rt.Transpose(buf(out), buf(in), batch, rows, cols)
}
