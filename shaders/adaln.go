package shaders

// adalnWG is the workgroup size of the adaln kernels (WG in the WGSL).
const adalnWG = 256

var (
	adalnModulateForwardKernel     = Kernel{File: "adaln", Entry: "adaln_modulate_forward", Bindings: []Access{ReadWrite, Read, Read}}
	adalnGateResidualForwardKernel = Kernel{File: "adaln", Entry: "adaln_gateresidual_forward", Bindings: []Access{ReadWrite, Read, Read, Read}}
	adalnBackwardKernel            = Kernel{File: "adaln", Entry: "adaln_backward", Bindings: []Access{ReadWrite, ReadWrite, Read, Read, Read}}
)

// adalnFwd is the uniform of the forward kernels: TC = tokens·c, MulOff the scale or
// gate chunk.
type adalnFwd struct{ N, TC, C, M, MulOff, ShiftOff uint32 }

// adalnBwd is the uniform of adaln_backward.
type adalnBwd struct {
	Tokens, C, M, Strip, MulOff, ShiftOff, HasShift uint32
	One                                             float32
}

// Modulate computes out[b,t,c] = in[b,t,c]·(1 + mod[b,scaleOff+c]) + mod[b,shiftOff+c].
// out, in: [batch, tokens, c]; mod: [batch, m].
func (r *Runtime) Modulate(out, in, mod Buf, batch, tokens, c, m, shiftOff, scaleOff int) {
	n := batch * tokens * c
	u := adalnFwd{uint32(n), uint32(tokens * c), uint32(c), uint32(m), uint32(scaleOff), uint32(shiftOff)}
	r.Dispatch(&adalnModulateForwardKernel, nil, u, Groups1D(n, adalnWG), out, in, mod)
}

// GateResidual computes out[b,t,c] = x[b,t,c] + mod[b,gateOff+c]·y[b,t,c].
// out, x, y: [batch, tokens, c]; mod: [batch, m].
func (r *Runtime) GateResidual(out, x, y, mod Buf, batch, tokens, c, m, gateOff int) {
	n := batch * tokens * c
	u := adalnFwd{N: uint32(n), TC: uint32(tokens * c), C: uint32(c), M: uint32(m), MulOff: uint32(gateOff)}
	r.Dispatch(&adalnGateResidualForwardKernel, nil, u, Groups1D(n, adalnWG), out, x, y, mod)
}

// ModulateBackward computes dIn = dOut·(1 + scale) and overwrites the shift and scale
// chunks of dMod: [batch, m] with Σ_t dOut and Σ_t dOut·in. dIn, dOut, in: [batch, tokens, c].
func (r *Runtime) ModulateBackward(dIn, dMod, dOut, in, mod Buf, batch, tokens, c, m, shiftOff, scaleOff int) {
	r.adalnBackward(dIn, dMod, dOut, in, mod, batch, tokens, c, m, scaleOff, shiftOff, 1)
}

// GateResidualBackward computes dY = gate·dX and overwrites the gate chunk of dMod: [batch, m]
// with Σ_t dX·y. dY, dX, y: [batch, tokens, c].
func (r *Runtime) GateResidualBackward(dY, dMod, dX, y, mod Buf, batch, tokens, c, m, gateOff int) {
	r.adalnBackward(dY, dMod, dX, y, mod, batch, tokens, c, m, gateOff, -1, 0)
}

// adalnBackward computes dx = g·(one + mod[b,mulOff:]) and overwrites dMod[b,mulOff:] with
// Σ_t g·x and, when shiftOff ≥ 0, dMod[b,shiftOff:] with Σ_t g. One workgroup per batch
// item and strip of up to 32 adjacent columns (coalesced loads), token lanes filling the
// rest of the workgroup.
func (r *Runtime) adalnBackward(dx, dMod, g, x, mod Buf, batch, tokens, c, m, mulOff, shiftOff int, one float32) {
	if batch == 0 || c == 0 {
		return
	}
	strip := min(32, pow2AtLeast(c))
	u := adalnBwd{Tokens: uint32(tokens), C: uint32(c), M: uint32(m), Strip: uint32(strip),
		MulOff: uint32(mulOff), ShiftOff: uint32(max(shiftOff, 0)), HasShift: b32(shiftOff >= 0), One: one}
	groups := [3]uint32{uint32((c + strip - 1) / strip), uint32(batch), 1}
	r.Dispatch(&adalnBackwardKernel, nil, u, groups, dx, dMod, g, x, mod)
}
