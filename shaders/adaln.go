package shaders

// adalnWG is the workgroup size of the adaln kernels (WG in the WGSL).
const adalnWG = 256

var (
	adalnGateResidualForwardKernel = Kernel{File: "adaln", Entry: "adaln_gateresidual_forward", Bindings: []Access{ReadWrite, Read, Read, Read}}
	adalnBackwardKernel            = Kernel{File: "adaln", Entry: "adaln_backward", Bindings: []Access{ReadWrite, ReadWrite, Read, Read, Read}}
)

// adalnFwd is the uniform of adaln_gateresidual_forward: TC = tokens·c.
type adalnFwd struct{ N, TC, C, M, GateOff uint32 }

// adalnBwd is the uniform of adaln_backward.
type adalnBwd struct{ Tokens, C, M, Strip, GateOff uint32 }

// GateResidual computes out[b,t,c] = x[b,t,c] + mod[b,gateOff+c]·y[b,t,c].
// out, x, y: [batch, tokens, c]; mod: [batch, m].
func (r *Runtime) GateResidual(out, x, y, mod Buf, batch, tokens, c, m, gateOff int) {
	n := batch * tokens * c
	u := adalnFwd{N: uint32(n), TC: uint32(tokens * c), C: uint32(c), M: uint32(m), GateOff: uint32(gateOff)}
	r.Dispatch(&adalnGateResidualForwardKernel, nil, u, Groups1D(n, adalnWG), out, x, y, mod)
}

// GateResidualBackward computes dY = gate·dX and overwrites the gate chunk of dMod: [batch, m]
// with Σ_t dX·y. dY, dX, y: [batch, tokens, c]. One workgroup per batch item and strip of
// up to 32 adjacent columns (coalesced loads), token lanes filling the rest of the
// workgroup.
func (r *Runtime) GateResidualBackward(dY, dMod, dX, y, mod Buf, batch, tokens, c, m, gateOff int) {
	if batch == 0 || c == 0 {
		return
	}
	strip := min(32, pow2AtLeast(c))
	u := adalnBwd{Tokens: uint32(tokens), C: uint32(c), M: uint32(m), Strip: uint32(strip), GateOff: uint32(gateOff)}
	groups := [3]uint32{uint32((c + strip - 1) / strip), uint32(batch), 1}
	r.Dispatch(&adalnBackwardKernel, nil, u, groups, dY, dMod, dX, y, mod)
}
