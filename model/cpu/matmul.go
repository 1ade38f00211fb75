package cpu

import "flowsphere/model/tensor"

// MatMul computes out = d.ActA(op(a))·op(b) + bias, batched (see tensor.MatMulDims), on
// the backend's matmul path, with the operands rounded to float16 first when d.F16.
// out: [Batch, M, N]; a, b as tensor.MatMulDims says; bias: [N] or nil.
func (be *Backend[T]) MatMul(out, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	fa, held := activated(&be.acted, data[T](a), d.ActA)
	defer be.acted.Give(held)
	ha, hb := f16Operands(fa, data[T](b), d)
	be.gemm.run(data[T](out), ha, hb, data[T](bias), d)
}

// MatMulAdd computes out = res + d.ActA(op(a))·op(b) + bias on the backend's matmul path,
// with the operands rounded to float16 first when d.F16. out, res: [Batch, M, N]; a, b as
// tensor.MatMulDims says; bias: [N] or nil.
func (be *Backend[T]) MatMulAdd(out, res, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	fa, held := activated(&be.acted, data[T](a), d.ActA)
	defer be.acted.Give(held)
	ha, hb := f16Operands(fa, data[T](b), d)
	matMulAdd(data[T](out), data[T](res), ha, hb, data[T](bias), d, be.gemm.run)
}

// LinearBackward is the backward of a linear layer applied to f(x), f = d.Act or the
// identity (see tensor.Ops), on the backend's matmul path. dIn, x: [Rows, In];
// dW, w: [Out, In]; dB: [Out] or nil; dY: [Rows, Out].
func (be *Backend[T]) LinearBackward(dIn, dW, dB, dY, w, x *tensor.Tensor, d tensor.LinearDims) {
	linearBackward(data[T](dIn), data[T](dW), data[T](dB), data[T](dY), data[T](w), data[T](x), d, be.gemm.run, &be.acted)
}

// SumRows adds the column sums of in: [rows, cols] to out: [cols].
func (be *Backend[T]) SumRows(out, in *tensor.Tensor, rows, cols int) {
	sumRows(data[T](out), data[T](in), rows, cols)
}

// Transpose swaps the last two axes of in: [batch, rows, cols] into out: [batch, cols, rows].
func (be *Backend[T]) Transpose(out, in *tensor.Tensor, batch, rows, cols int) {
	transpose(data[T](out), data[T](in), batch, rows, cols)
}
