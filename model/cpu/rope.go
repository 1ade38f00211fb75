package cpu

import (
	"fmt"

	"flowsphere/model/tensor"
)

// RoPE2D rotates head-vector pairs by the token's 2-D grid position (see tensor.Ops).
// out, in: [batch, tokens, heads, dh]; dh a multiple of 4.
func (be *Backend[T]) RoPE2D(out, in *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32, inverse bool) {
	checkHeadDim(dh)
	rope2D(data[T](out), data[T](in), batch, tokens, heads, dh, gridH, gridW, float64(base), inverse)
}

// QKNormRoPE prepares attention's inputs from a packed projection (see tensor.Ops).
// qkvh: [3, batch, tokens, heads, dh]; rstd: [2, batch·tokens·heads];
// qkv: [batch·tokens, 3·heads·dh]; gq, gk: [dh].
func (be *Backend[T]) QKNormRoPE(qkvh, rstd, qkv, gq, gk *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base, eps float32) {
	checkHeadDim(dh)
	qkNormRoPE(data[T](qkvh), data[T](rstd), data[T](qkv), data[T](gq), data[T](gk), batch, tokens, heads, dh, gridH, gridW, float64(base), float64(eps))
}

// QKNormRoPEBackward overwrites dqkv and adds into dgq and dgk (see tensor.Ops).
// dqkv, qkv: [batch·tokens, 3·heads·dh]; dgq, dgk, gq, gk: [dh];
// dqkvh: [3, batch, tokens, heads, dh]; rstd: [2, batch·tokens·heads].
func (be *Backend[T]) QKNormRoPEBackward(dqkv, dgq, dgk, dqkvh, qkv, gq, gk, rstd *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32) {
	checkHeadDim(dh)
	qkNormRoPEBackward(data[T](dqkv), data[T](dgq), data[T](dgk), data[T](dqkvh), data[T](qkv), data[T](gq), data[T](gk), data[T](rstd),
		batch, tokens, heads, dh, gridH, gridW, float64(base))
}

// checkHeadDim panics unless dh is a multiple of 4: one pair turned by the row and one by
// the column at least.
func checkHeadDim(dh int) {
	if dh%4 != 0 {
		panic(fmt.Sprintf("cpu: RoPE2D needs a head dim that is a multiple of 4 (one row and one column pair each), got %d", dh))
	}
}
