package cpu

import "flowsphere/model/tensor"

// Act applies SiLU or GELU elementwise.
func (be *Backend[T]) Act(out, in *tensor.Tensor, n int, f tensor.Activation) {
	act(data[T](out)[:n], data[T](in)[:n], f)
}

// ActBackward computes dIn = f'(in)·dOut.
func (be *Backend[T]) ActBackward(dIn, dOut, in *tensor.Tensor, n int, f tensor.Activation) {
	actBackward(data[T](dIn)[:n], data[T](dOut)[:n], data[T](in)[:n], f)
}

// SwiGLU computes silu(a)·b from in = [a ‖ b] per row.
func (be *Backend[T]) SwiGLU(out, in *tensor.Tensor, rows, f int) {
	swiGLU(data[T](out), data[T](in), rows, f)
}

// SwiGLUBackward computes dIn = [da ‖ db] per row.
func (be *Backend[T]) SwiGLUBackward(dIn, dOut, in *tensor.Tensor, rows, f int) {
	swiGLUBackward(data[T](dIn), data[T](dOut), data[T](in), rows, f)
}
