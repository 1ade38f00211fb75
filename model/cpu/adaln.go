package cpu

import "flowsphere/model/tensor"

// GateResidual writes out = x + gate·y. out, x, y: [batch, tokens, c]; mod: [batch, m].
func (be *Backend[T]) GateResidual(out, x, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	gateResidual(data[T](out), data[T](x), data[T](y), data[T](mod), batch, tokens, c, m, gateOff)
}

// GateResidualBackward overwrites dY and the gate chunk of dMod.
func (be *Backend[T]) GateResidualBackward(dY, dMod, dX, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	adalnBackward(data[T](dY), data[T](dMod), data[T](dX), data[T](y), data[T](mod), batch, tokens, c, m, gateOff, -1, 0)
}
