package cpu

import (
	"fmt"

	"flowsphere/model/tensor"
)

// RoPE2D rotates head-vector pairs by the token's 2-D grid position (see tensor.Ops).
// out, in: [batch, tokens, heads, dh]; dh a multiple of 4.
func (be *Backend[T]) RoPE2D(out, in *tensor.Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32, inverse bool) {
	if dh%4 != 0 {
		panic(fmt.Sprintf("cpu: RoPE2D needs a head dim that is a multiple of 4 (one row and one column pair each), got %d", dh))
	}
	rope2D(data[T](out), data[T](in), batch, tokens, heads, dh, gridH, gridW, float64(base), inverse)
}
