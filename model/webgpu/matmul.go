package webgpu

import "flowsphere/model/tensor"

// MatMul is not implemented yet.
func (be *Backend) MatMul(out, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	panic("webgpu: MatMul not implemented")
}

// SumRows is not implemented yet.
func (be *Backend) SumRows(out, in *tensor.Tensor, rows, cols int) {
	panic("webgpu: SumRows not implemented")
}

// Transpose is not implemented yet.
func (be *Backend) Transpose(out, in *tensor.Tensor, batch, rows, cols int) {
	panic("webgpu: Transpose not implemented")
}
