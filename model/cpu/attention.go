package cpu

import (
	"flowsphere/model/cpu/fast"
	"flowsphere/model/tensor"
)

// Attention computes full softmax attention and each query's log-sum-exp.
// out, q, k, v: [batch, tokens, heads, dh]; lse: [batch, heads, tokens].
func (be *Backend[T]) Attention(out, lse, q, k, v *tensor.Tensor, batch, tokens, heads, dh int, scale float32) {
	if f, ok := be.fastAttention(batch, tokens, heads, dh, scale); ok {
		f.Forward(data[float32](out), data[float32](lse), data[float32](q), data[float32](k), data[float32](v))
		return
	}
	attention(data[T](out), data[T](lse), data[T](q), data[T](k), data[T](v), batch, tokens, heads, dh, float64(scale))
}

// AttentionBackward computes dq, dk, dv: [batch, tokens, heads, dh] from dOut and the
// forward's q, k, v, out and lse: [batch, heads, tokens]; delta: [batch, heads, tokens] is scratch.
func (be *Backend[T]) AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, out, lse *tensor.Tensor, batch, tokens, heads, dh int, scale float32) {
	if f, ok := be.fastAttention(batch, tokens, heads, dh, scale); ok {
		f.Backward(data[float32](dq), data[float32](dk), data[float32](dv), data[float32](delta), data[float32](dOut),
			data[float32](q), data[float32](k), data[float32](v), data[float32](out), data[float32](lse))
		return
	}
	attentionBackward(data[T](dq), data[T](dk), data[T](dv), data[T](delta), data[T](dOut), data[T](q), data[T](k), data[T](v), data[T](out), data[T](lse),
		batch, tokens, heads, dh, float64(scale))
}

// fastAttention returns the attention of a fast matmul path for a call of this size; false
// on the reference path, and for empty calls, which the row kernels handle.
func (be *Backend[T]) fastAttention(batch, tokens, heads, dh int, scale float32) (fast.Attention, bool) {
	if be.gemm.mul == nil || batch*tokens*heads*dh == 0 {
		return fast.Attention{}, false
	}
	return fast.Attention{Mul: be.gemm.mul, Scratch: &be.scratch, Shape: fast.Shape{Batch: batch, Tokens: tokens, Heads: heads, DH: dh, Scale: scale}}, true
}
