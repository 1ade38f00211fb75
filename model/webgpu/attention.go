package webgpu

import "flowsphere/model/tensor"

// Attention runs fused softmax attention with online softmax.
// out, q, k, v: [batch, tokens, heads, dh]; lse: [batch, heads, tokens].
func (be *Backend) Attention(out, lse, q, k, v *tensor.Tensor, batch, tokens, heads, dh int, scale float32) {
	be.rt.Attention(buf(out), buf(lse), buf(q), buf(k), buf(v), batch, tokens, heads, dh, scale)
}

// AttentionBackward computes dq, dk, dv: [batch, tokens, heads, dh] from dOut and the
// forward's q, k, v, out and lse: [batch, heads, tokens]; delta: [batch, heads, tokens] is scratch.
func (be *Backend) AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, out, lse *tensor.Tensor, batch, tokens, heads, dh int, scale float32) {
	be.rt.AttentionBackward(buf(dq), buf(dk), buf(dv), buf(delta), buf(dOut), buf(q), buf(k), buf(v), buf(out), buf(lse),
		batch, tokens, heads, dh, scale)
}
