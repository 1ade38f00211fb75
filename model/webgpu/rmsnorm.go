package webgpu

import (
	"flowsphere/model/tensor"
	"flowsphere/shaders"
)

// spherifyEps is the cpu backend's spherifyEps (see there): Spherify is RMSNorm without
// gain and with this eps, the smooth form of the seed's in/max(rms, 1e-6).
const spherifyEps float32 = 1e-12

// RMSNorm normalises each row by its root mean square and applies the optional gain.
func (be *Backend) RMSNorm(out, rstd, in, gain *tensor.Tensor, rows, cols int, eps float32) {
	g, has := be.optional(gain)
	be.rt.RMSNorm(buf(out), buf(rstd), buf(in), g, has == 1, rows, cols, eps)
}

// RMSNormBackward overwrites dIn (plus dRes when it is not nil) and adds into dGain (when it
// is not nil).
func (be *Backend) RMSNormBackward(dIn, dGain, dOut, dRes, in, gain, rstd *tensor.Tensor, rows, cols int) {
	g, hasGain := be.optional(gain)
	dg, hasDGain := be.optional(dGain)
	res, hasRes := be.optional(dRes)
	be.rt.RMSNormBackward(buf(dIn), dg, buf(dOut), res, buf(in), g, buf(rstd), shaders.NormBackward{HasGain: hasGain == 1, HasDGain: hasDGain == 1, HasRes: hasRes == 1}, rows, cols)
}

// Spherify projects each row onto the sphere of radius sqrt(cols).
func (be *Backend) Spherify(out, rstd, in *tensor.Tensor, rows, cols int) {
	be.rt.RMSNorm(buf(out), buf(rstd), buf(in), be.dummy, false, rows, cols, spherifyEps)
}

// SpherifyBackward is RMSNormBackward without gain.
func (be *Backend) SpherifyBackward(dIn, dOut, in, rstd *tensor.Tensor, rows, cols int) {
	be.rt.RMSNormBackward(buf(dIn), be.dummy, buf(dOut), be.dummy, buf(in), be.dummy, buf(rstd), shaders.NormBackward{}, rows, cols)
}

// NormModulate is RMSNorm without gain followed by adaLN's shift and scale, in one dispatch.
func (be *Backend) NormModulate(out, rstd, in, mod *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int, eps float32) {
	md := shaders.Modulation{Tokens: tokens, M: m, ShiftOff: shiftOff, ScaleOff: scaleOff}
	be.rt.NormModulate(buf(out), buf(rstd), buf(in), buf(mod), md, batch*tokens, c, eps)
}

// NormModulateBackward overwrites dIn (plus dRes when it is not nil) and the shift and
// scale chunks of dMod, in one dispatch.
func (be *Backend) NormModulateBackward(dIn, dMod, dOut, dRes, in, mod, rstd *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int) {
	res, hasRes := be.optional(dRes)
	md := shaders.Modulation{Tokens: tokens, M: m, ShiftOff: shiftOff, ScaleOff: scaleOff}
	be.rt.NormModulateBackward(buf(dIn), buf(dMod), buf(dOut), res, buf(in), buf(mod), buf(rstd), hasRes == 1, md, batch*tokens, c)
}
