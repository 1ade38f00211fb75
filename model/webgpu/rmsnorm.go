package webgpu

import "flowsphere/model/tensor"

// RMSNorm is not implemented yet.
func (be *Backend) RMSNorm(out, rstd, in, gain *tensor.Tensor, rows, cols int, eps float32) {
	panic("webgpu: RMSNorm not implemented")
}

// RMSNormBackward is not implemented yet.
func (be *Backend) RMSNormBackward(dIn, dGain, dOut, in, gain, rstd *tensor.Tensor, rows, cols int) {
	panic("webgpu: RMSNormBackward not implemented")
}

// Spherify is not implemented yet.
func (be *Backend) Spherify(out, rstd, in *tensor.Tensor, rows, cols int) {
	panic("webgpu: Spherify not implemented")
}

// SpherifyBackward is not implemented yet.
func (be *Backend) SpherifyBackward(dIn, dOut, in, rstd *tensor.Tensor, rows, cols int) {
	panic("webgpu: SpherifyBackward not implemented")
}
