package shaders

import (
	"fmt"
	"math"
)

// ropeWG is the workgroup size of the RoPE kernels (WG in rope.wgsl).
const ropeWG = 256

// ropeParams is the uniform of rope.wgsl (struct Rope).
type ropeParams struct {
	Pairs, Tokens, Heads, Quarter, GridW, Cells uint32
	Log2Step                                    float32
}

var (
	ropeForwardKernel  = Kernel{File: "rope", Entry: "rope_forward", Bindings: []Access{ReadWrite, Read}}
	ropeBackwardKernel = Kernel{File: "rope", Entry: "rope_backward", Bindings: []Access{ReadWrite, Read}}
)

// RoPE2D rotates the pairs of every head vector by the token's 2-D grid position, or back
// when inverse (the backward). out, in: [batch, tokens, heads, dh]; dh a multiple of 4.
func (r *Runtime) RoPE2D(out, in Buf, batch, tokens, heads, dh, gridH, gridW int, base float32, inverse bool) {
	if dh%4 != 0 {
		panic(fmt.Sprintf("shaders: RoPE2D needs a head dim that is a multiple of 4 (one row and one column pair each), got %d", dh))
	}
	n := batch * tokens * heads * dh / 2
	if n == 0 {
		return
	}
	quarter := dh / 4
	u := ropeParams{
		Pairs: uint32(n), Tokens: uint32(tokens), Heads: uint32(heads), Quarter: uint32(quarter),
		GridW: uint32(gridW), Cells: uint32(gridH * gridW),
		// The frequency step is taken in float64 so that only exp2 rounds on the device.
		Log2Step: float32(-math.Log2(float64(base)) / float64(quarter)),
	}
	k := &ropeForwardKernel
	if inverse {
		k = &ropeBackwardKernel
	}
	r.Dispatch(k, nil, u, Groups1D(n, ropeWG), out, in)
}
