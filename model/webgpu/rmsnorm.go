package webgpu

import "flowsphere/model/tensor"

// spherifyEps is the cpu backend's spherifyEps (see there): Spherify is RMSNorm without
// gain and with this eps, the smooth form of the seed's in/max(rms, 1e-6).
const spherifyEps float32 = 1e-12

// RMSNorm normalises each row by its root mean square and applies the optional gain.
func (be *Backend) RMSNorm(out, rstd, in, gain *tensor.Tensor, rows, cols int, eps float32) {
	g, has := be.optional(gain)
	be.rt.RMSNorm(buf(out), buf(rstd), buf(in), g, has == 1, rows, cols, eps)
}

// RMSNormBackward overwrites dIn and adds into dGain (when it is not nil).
func (be *Backend) RMSNormBackward(dIn, dGain, dOut, in, gain, rstd *tensor.Tensor, rows, cols int) {
	g, hasGain := be.optional(gain)
	dg, hasDGain := be.optional(dGain)
	be.rt.RMSNormBackward(buf(dIn), dg, buf(dOut), buf(in), g, hasGain == 1, hasDGain == 1, buf(rstd), rows, cols)
}

// Spherify projects each row onto the sphere of radius sqrt(cols).
func (be *Backend) Spherify(out, rstd, in *tensor.Tensor, rows, cols int) {
	be.rt.RMSNorm(buf(out), buf(rstd), buf(in), be.dummy, false, rows, cols, spherifyEps)
}

// SpherifyBackward is RMSNormBackward without gain.
func (be *Backend) SpherifyBackward(dIn, dOut, in, rstd *tensor.Tensor, rows, cols int) {
	be.rt.RMSNormBackward(buf(dIn), be.dummy, buf(dOut), buf(in), be.dummy, false, false, buf(rstd), rows, cols)
}
