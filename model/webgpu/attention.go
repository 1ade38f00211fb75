package webgpu

import "flowsphere/model/tensor"

// RoPE2D is not implemented yet.
func (be *Backend) RoPE2D(out, in *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32, inverse bool) {
	panic("webgpu: RoPE2D not implemented")
}

// Attention is not implemented yet.
func (be *Backend) Attention(out, lse, q, k, v *tensor.Tensor, batch, tokens, heads, dh int, scale float32) {
	panic("webgpu: Attention not implemented")
}

// AttentionBackward is not implemented yet.
func (be *Backend) AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, out, lse *tensor.Tensor, batch, tokens, heads, dh int, scale float32) {
	panic("webgpu: AttentionBackward not implemented")
}
