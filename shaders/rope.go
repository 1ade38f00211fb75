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

// qkNormParams is the uniform of the QK-norm and RoPE kernels (struct QKNorm).
type qkNormParams struct {
	Rows, Heads, DH, Tokens, GridW, Cells uint32
	Log2Step, Eps                         float32
}

// qkStrip is the column strip of the gain-gradient workgroups of rope_qknorm_backward
// (QK_STRIP in the WGSL).
const qkStrip = 32

var (
	ropeQKNormForwardKernel  = Kernel{File: "rope", Entry: "rope_qknorm_forward", Bindings: []Access{ReadWrite, ReadWrite, Read, Read, Read}}
	ropeQKNormBackwardKernel = Kernel{File: "rope", Entry: "rope_qknorm_backward", Bindings: []Access{ReadWrite, ReadWrite, ReadWrite, Read, Read, Read, Read, Read}}
)

// QKShape is the size of a QK-norm and RoPE call: rows = batch·tokens rows of q ‖ k ‖ v,
// each of heads head vectors of dh (a multiple of 4), on a gridH×gridW token grid.
type QKShape struct {
	Batch, Tokens, Heads, DH, GridH, GridW int
	Base, Eps                              float32
}

// uniform returns the kernels' uniform and their thread count, one per (row, head, part).
func (s QKShape) uniform() (qkNormParams, int) {
	if s.DH%4 != 0 {
		panic(fmt.Sprintf("shaders: QK-norm and RoPE need a head dim that is a multiple of 4, got %d", s.DH))
	}
	rows := s.Batch * s.Tokens
	u := qkNormParams{
		Rows: uint32(rows), Heads: uint32(s.Heads), DH: uint32(s.DH), Tokens: uint32(s.Tokens),
		GridW: uint32(s.GridW), Cells: uint32(s.GridH * s.GridW),
		Log2Step: float32(-math.Log2(float64(s.Base)) / float64(s.DH/4)), Eps: s.Eps,
	}
	return u, rows * s.Heads * 3
}

// QKNormRoPE records the attention inputs of a packed projection: q and k head vectors
// normalised by their RMS times the gains gq and gk and rotated by their grid positions, v
// copied. qkvh: [3, rows, heads, dh]; rstd: [2, rows·heads]; qkv: [rows, 3·heads·dh];
// gq, gk: [dh].
func (r *Runtime) QKNormRoPE(qkvh, rstd, qkv, gq, gk Buf, s QKShape) {
	if s.Batch*s.Tokens*s.Heads == 0 {
		return
	}
	u, n := s.uniform()
	r.Dispatch(&ropeQKNormForwardKernel, nil, u, Groups1D(n, ropeWG), qkvh, rstd, qkv, gq, gk)
}

// QKNormRoPEBackward records the backward of QKNormRoPE: it overwrites dqkv: [rows,
// 3·heads·dh] from dqkvh: [3, rows, heads, dh] and the forward's qkv, gq, gk and rstd, and
// adds the gains' gradients into dgq, dgk: [dh]. The gain gradient does not read dqkv, so
// one dispatch does both: the input gradient's workgroups (one thread per (row, head,
// part)) followed by one per column strip of each gain; the kernel tells them apart by
// their flat workgroup index.
func (r *Runtime) QKNormRoPEBackward(dqkv, dgq, dgk, dqkvh, qkv, gq, gk, rstd Buf, s QKShape) {
	if s.Batch*s.Tokens*s.Heads == 0 {
		return
	}
	u, n := s.uniform()
	// The input gradient's workgroups first (qb_dx_groups in the WGSL), then one per strip
	// of each gain; workgroups that Groups1D rounds up past these do nothing.
	groups := (n+ropeWG-1)/ropeWG + 2*((s.DH+qkStrip-1)/qkStrip)
	r.Dispatch(&ropeQKNormBackwardKernel, nil, u, Groups1D(groups*ropeWG, ropeWG), dqkv, dgq, dgk, dqkvh, qkv, gq, gk, rstd)
}
