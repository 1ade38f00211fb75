package cpu

import "flowsphere/model/tensor"

// RMSNorm normalises each row by its root mean square and applies the optional gain.
func (be *Backend[T]) RMSNorm(out, rstd, in, gain *tensor.Tensor, rows, cols int, eps float32) {
	rmsNorm(data[T](out), data[T](rstd), data[T](in), data[T](gain), rows, cols, float64(eps))
}

// RMSNormBackward overwrites dIn (plus dRes when it is not nil) and adds into dGain (when it
// is not nil).
func (be *Backend[T]) RMSNormBackward(dIn, dGain, dOut, dRes, in, gain, rstd *tensor.Tensor, rows, cols int) {
	rmsNormBackward(data[T](dIn), data[T](dGain), data[T](dOut), data[T](dRes), data[T](in), data[T](gain), data[T](rstd), rows, cols)
}

// Spherify is RMSNorm without gain and with the tiny spherifyEps, so |out[r,:]| = sqrt(cols).
func (be *Backend[T]) Spherify(out, rstd, in *tensor.Tensor, rows, cols int) {
	rmsNorm(data[T](out), data[T](rstd), data[T](in), nil, rows, cols, float64(spherifyEps))
}

// SpherifyBackward is RMSNormBackward without gain.
func (be *Backend[T]) SpherifyBackward(dIn, dOut, in, rstd *tensor.Tensor, rows, cols int) {
	rmsNormBackward(data[T](dIn), nil, data[T](dOut), nil, data[T](in), nil, data[T](rstd), rows, cols)
}

// NormModulate is RMSNorm without gain followed by adaLN's shift and scale.
func (be *Backend[T]) NormModulate(out, rstd, in, mod *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int, eps float32) {
	normModulate(data[T](out), data[T](rstd), data[T](in), data[T](mod), batch, tokens, c, m, shiftOff, scaleOff, float64(eps))
}

// NormModulateBackward overwrites dIn (plus dRes when it is not nil) and the shift and
// scale chunks of dMod.
func (be *Backend[T]) NormModulateBackward(dIn, dMod, dOut, dRes, in, mod, rstd *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int) {
	normModulateBackward(data[T](dIn), data[T](dMod), data[T](dOut), data[T](dRes), data[T](in), data[T](mod), data[T](rstd),
		batch, tokens, c, m, shiftOff, scaleOff, &be.acted)
}
