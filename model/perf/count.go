package perf

import "flowsphere/model/tensor"

// FLOPCounter is a backend that counts the model FLOPs of the calls it passes on: 2·M·N·K
// per matmul item (a linear backward's dY·W and dYᵀ·x among them) and the attention
// products (see AttentionShape.FLOPs). The elementwise, norm and optimizer ops are not counted: they are a few FLOPs per element, memory-bound,
// and the utilisation that a FLOP rate measures is that of the products.
type FLOPCounter struct {
	tensor.Backend
	FLOPs float64
}

// MatMul counts and runs a matmul. out: [Batch, M, N]; bias: [N] or nil.
func (c *FLOPCounter) MatMul(out, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	c.FLOPs += matmulFLOPs(d)
	c.Backend.MatMul(out, a, b, bias, d)
}

// MatMulAdd counts and runs a matmul added to a residual. out, res: [Batch, M, N];
// bias: [N] or nil.
func (c *FLOPCounter) MatMulAdd(out, res, a, b, bias *tensor.Tensor, d tensor.MatMulDims) {
	c.FLOPs += matmulFLOPs(d)
	c.Backend.MatMulAdd(out, res, a, b, bias, d)
}

// matmulFLOPs is 2·M·N·K per batch item.
func matmulFLOPs(d tensor.MatMulDims) float64 {
	return 2 * float64(d.M) * float64(d.N) * float64(d.K) * float64(max(d.Batch, 1))
}

// LinearBackward counts and runs a linear layer's backward: the product dYᵀ·x and, unless
// dIn is nil, dY·W. dIn, x: [Rows, In]; dW, w: [Out, In]; dB: [Out] or nil; dY: [Rows, Out].
func (c *FLOPCounter) LinearBackward(dIn, dW, dB, dY, w, x *tensor.Tensor, d tensor.LinearDims) {
	products := 1.0
	if dIn != nil {
		products = 2
	}
	c.FLOPs += products * 2 * float64(d.Rows) * float64(d.Out) * float64(d.In)
	c.Backend.LinearBackward(dIn, dW, dB, dY, w, x, d)
}

// Attention counts and runs attention. out, q, k, v: [batch, tokens, heads, dh]; lse: [batch, heads, tokens].
func (c *FLOPCounter) Attention(out, lse, q, k, v *tensor.Tensor, batch, tokens, heads, dh int, scale float32) {
	c.FLOPs += AttentionShape{Batch: batch, Tokens: tokens, Heads: heads, HeadDim: dh}.FLOPs()
	c.Backend.Attention(out, lse, q, k, v, batch, tokens, heads, dh, scale)
}

// AttentionBackward counts and runs the attention backward.
// dq, dk, dv, dOut, q, k, v, out: [batch, tokens, heads, dh]; delta, lse: [batch, heads, tokens].
func (c *FLOPCounter) AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, out, lse *tensor.Tensor, batch, tokens, heads, dh int, scale float32) {
	c.FLOPs += AttentionShape{Batch: batch, Tokens: tokens, Heads: heads, HeadDim: dh, Backward: true}.FLOPs()
	c.Backend.AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, out, lse, batch, tokens, heads, dh, scale)
}
