package cpu

import "flowsphere/model/tensor"

// Modulate applies adaLN shift and scale.
func (be *Backend[T]) Modulate(out, in, mod *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int) {
	modulate(data[T](out), data[T](in), data[T](mod), batch, tokens, c, m, shiftOff, scaleOff)
}

// ModulateBackward overwrites dIn and the shift and scale chunks of dMod.
func (be *Backend[T]) ModulateBackward(dIn, dMod, dOut, in, mod *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int) {
	adalnBackward(data[T](dIn), data[T](dMod), data[T](dOut), data[T](in), data[T](mod), batch, tokens, c, m, scaleOff, shiftOff, 1)
}

// GateResidual writes out = x + gate·y. out, x, y: [batch, tokens, c]; mod: [batch, m].
func (be *Backend[T]) GateResidual(out, x, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	gateResidual(data[T](out), data[T](x), data[T](y), data[T](mod), batch, tokens, c, m, gateOff)
}

// GateResidualBackward overwrites dY and the gate chunk of dMod.
func (be *Backend[T]) GateResidualBackward(dY, dMod, dX, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	adalnBackward(data[T](dY), data[T](dMod), data[T](dX), data[T](y), data[T](mod), batch, tokens, c, m, gateOff, -1, 0)
}
