package webgpu

import "flowsphere/model/tensor"

// Modulate applies adaLN shift and scale.
func (be *Backend) Modulate(out, in, mod *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int) {
	be.rt.Modulate(buf(out), buf(in), buf(mod), batch, tokens, c, m, shiftOff, scaleOff)
}

// ModulateBackward overwrites dIn and the shift and scale chunks of dMod.
func (be *Backend) ModulateBackward(dIn, dMod, dOut, in, mod *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int) {
	be.rt.ModulateBackward(buf(dIn), buf(dMod), buf(dOut), buf(in), buf(mod), batch, tokens, c, m, shiftOff, scaleOff)
}

// GateResidual writes out = x + gate·y. out, x, y: [batch, tokens, c]; mod: [batch, m].
func (be *Backend) GateResidual(out, x, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	be.rt.GateResidual(buf(out), buf(x), buf(y), buf(mod), batch, tokens, c, m, gateOff)
}

// GateResidualBackward overwrites dY and the gate chunk of dMod.
func (be *Backend) GateResidualBackward(dY, dMod, dX, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	be.rt.GateResidualBackward(buf(dY), buf(dMod), buf(dX), buf(y), buf(mod), batch, tokens, c, m, gateOff)
}
