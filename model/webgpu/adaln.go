package webgpu

import "flowsphere/model/tensor"

// GateResidual writes out = x + gate·y. out, x, y: [batch, tokens, c]; mod: [batch, m].
func (be *Backend) GateResidual(out, x, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	be.rt.GateResidual(buf(out), buf(x), buf(y), buf(mod), batch, tokens, c, m, gateOff)
}

// GateResidualBackward overwrites dY and the gate chunk of dMod.
func (be *Backend) GateResidualBackward(dY, dMod, dX, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	be.rt.GateResidualBackward(buf(dY), buf(dMod), buf(dX), buf(y), buf(mod), batch, tokens, c, m, gateOff)
}
