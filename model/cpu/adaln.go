package cpu

import "flowsphere/model/tensor"

// Modulate is not implemented yet.
func (be *Backend) Modulate(out, in, mod *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int) {
	panic("cpu: Modulate not implemented")
}

// ModulateBackward is not implemented yet.
func (be *Backend) ModulateBackward(dIn, dMod, dOut, in, mod *tensor.Tensor, batch, tokens, c, m, shiftOff, scaleOff int) {
	panic("cpu: ModulateBackward not implemented")
}

// GateResidual is not implemented yet.
func (be *Backend) GateResidual(x, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	panic("cpu: GateResidual not implemented")
}

// GateResidualBackward is not implemented yet.
func (be *Backend) GateResidualBackward(dY, dMod, dX, y, mod *tensor.Tensor, batch, tokens, c, m, gateOff int) {
	panic("cpu: GateResidualBackward not implemented")
}
