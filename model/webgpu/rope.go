package webgpu

import "flowsphere/model/tensor"

// RoPE2D rotates head-vector pairs by the token's 2-D grid position.
// out, in: [batch, tokens, heads, dh]; dh a multiple of 4.
func (be *Backend) RoPE2D(out, in *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32, inverse bool) {
	be.rt.RoPE2D(buf(out), buf(in), batch, tokens, heads, dh, gridH, gridW, base, inverse)
}
