package cpu

import "flowsphere/model/tensor"

// Act is not implemented yet.
func (be *Backend) Act(out, in *tensor.Tensor, n int, f tensor.Activation) {
	panic("cpu: Act not implemented")
}

// ActBackward is not implemented yet.
func (be *Backend) ActBackward(dIn, dOut, in *tensor.Tensor, n int, f tensor.Activation) {
	panic("cpu: ActBackward not implemented")
}

// SwiGLU is not implemented yet.
func (be *Backend) SwiGLU(out, in *tensor.Tensor, rows, f int) { panic("cpu: SwiGLU not implemented") }

// SwiGLUBackward is not implemented yet.
func (be *Backend) SwiGLUBackward(dIn, dOut, in *tensor.Tensor, rows, f int) {
	panic("cpu: SwiGLUBackward not implemented")
}
