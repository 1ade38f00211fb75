package webgpu

import "flowsphere/model/tensor"

// Act applies SiLU or GELU elementwise.
func (be *Backend) Act(out, in *tensor.Tensor, n int, f tensor.Activation) {
	be.rt.Act(buf(out), buf(in), n, int(f))
}

// ActBackward computes dIn = f'(in)·dOut.
func (be *Backend) ActBackward(dIn, dOut, in *tensor.Tensor, n int, f tensor.Activation) {
	be.rt.ActBackward(buf(dIn), buf(dOut), buf(in), n, int(f))
}

// SwiGLU computes silu(a)·b from in = [a ‖ b] per row.
func (be *Backend) SwiGLU(out, in *tensor.Tensor, rows, f int) {
	be.rt.SwiGLU(buf(out), buf(in), rows, f)
}

// SwiGLUBackward computes dIn = [da ‖ db] per row.
func (be *Backend) SwiGLUBackward(dIn, dOut, in *tensor.Tensor, rows, f int) {
	be.rt.SwiGLUBackward(buf(dIn), buf(dOut), buf(in), rows, f)
}
