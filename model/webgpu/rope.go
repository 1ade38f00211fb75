package webgpu

import (
	"flowsphere/model/tensor"
	"flowsphere/shaders"
)

// RoPE2D rotates head-vector pairs by the token's 2-D grid position.
// out, in: [batch, tokens, heads, dh]; dh a multiple of 4.
func (be *Backend) RoPE2D(out, in *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32, inverse bool) {
	be.rt.RoPE2D(buf(out), buf(in), batch, tokens, heads, dh, gridH, gridW, base, inverse)
}

// QKNormRoPE prepares attention's inputs from a packed projection (see tensor.Ops).
// qkvh: [3, batch, tokens, heads, dh]; rstd: [2, batch·tokens·heads];
// qkv: [batch·tokens, 3·heads·dh]; gq, gk: [dh].
func (be *Backend) QKNormRoPE(qkvh, rstd, qkv, gq, gk *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base, eps float32) {
	s := shaders.QKShape{Batch: batch, Tokens: tokens, Heads: heads, DH: dh, GridH: gridH, GridW: gridW, Base: base, Eps: eps}
	be.rt.QKNormRoPE(buf(qkvh), buf(rstd), buf(qkv), buf(gq), buf(gk), s)
}

// QKNormRoPEBackward overwrites dqkv and adds into dgq and dgk (see tensor.Ops).
// dqkv, qkv: [batch·tokens, 3·heads·dh]; dgq, dgk, gq, gk: [dh];
// dqkvh: [3, batch, tokens, heads, dh]; rstd: [2, batch·tokens·heads].
func (be *Backend) QKNormRoPEBackward(dqkv, dgq, dgk, dqkvh, qkv, gq, gk, rstd *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32) {
	s := shaders.QKShape{Batch: batch, Tokens: tokens, Heads: heads, DH: dh, GridH: gridH, GridW: gridW, Base: base}
	be.rt.QKNormRoPEBackward(buf(dqkv), buf(dgq), buf(dgk), buf(dqkvh), buf(qkv), buf(gq), buf(gk), buf(rstd), s)
}
