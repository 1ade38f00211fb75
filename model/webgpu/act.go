package webgpu

import "flowsphere/model/tensor"

// Act is not implemented yet.
func (be *Backend) Act(out, in *tensor.Tensor, n int, f tensor.Activation) {
	panic("webgpu: Act not implemented")
}

// ActBackward is not implemented yet.
func (be *Backend) ActBackward(dIn, dOut, in *tensor.Tensor, n int, f tensor.Activation) {
	panic("webgpu: ActBackward not implemented")
}

// SwiGLU is not implemented yet.
func (be *Backend) SwiGLU(out, in *tensor.Tensor, rows, f int) {
	panic("webgpu: SwiGLU not implemented")
}

// SwiGLUBackward is not implemented yet.
func (be *Backend) SwiGLUBackward(dIn, dOut, in *tensor.Tensor, rows, f int) {
	panic("webgpu: SwiGLUBackward not implemented")
}
