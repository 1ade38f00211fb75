package shaders

import "fmt"

// attentionRows is BQ in attention.wgsl: the query (or key) rows of one workgroup, one per
// thread.
const attentionRows = 64

// attentionParams is the uniform of every attention kernel (struct Params).
type attentionParams struct {
	Batch, Tokens, Heads uint32
	Scale                float32
}

// Binding order: q, k, v first for the kernels that share them in attention.wgsl.
var (
	attentionForwardKernel = Kernel{File: "attention", Entry: "attention_forward",
		Bindings: []Access{Read, Read, Read, ReadWrite, ReadWrite}} // q, k, v, out, lse
	attentionBackwardDQKernel = Kernel{File: "attention", Entry: "attention_backward_dq",
		Bindings: []Access{Read, Read, Read, ReadWrite, Read, ReadWrite, Read, Read}} // q, k, v, dq, lse, delta, dOut, out
	attentionBackwardDKVKernel = Kernel{File: "attention", Entry: "attention_backward_dkv",
		Bindings: []Access{Read, Read, Read, ReadWrite, Read, Read, Read, ReadWrite}} // q, k, v, dk, lse, delta, dOut, dv
)

// attentionTileFloats bounds TILE·DH: two staged tiles of TILE rows fill at most the 16 KiB
// of workgroup memory WebGPU guarantees.
const attentionTileFloats = 16384 / 4 / 2

// attentionSetup checks the shape and returns the constants that specialise the kernels
// for head dim dh, the workgroup grid of the row kernels (blocks of rows × batch·heads) and
// the uniform.
func attentionSetup(batch, tokens, heads, dh int, scale float32) (map[string]string, [3]uint32, attentionParams) {
	if dh%4 != 0 || dh < 4 || dh > 64 {
		panic(fmt.Sprintf("shaders: attention supports head dims that are multiples of 4 up to 64, got %d", dh))
	}
	if batch*heads > 65535 {
		panic(fmt.Sprintf("shaders: attention over %d batch·heads exceeds 65535 workgroups", batch*heads))
	}
	consts := map[string]string{
		"DH":   fmt.Sprintf("%du", dh),
		"TILE": fmt.Sprintf("%du", min(attentionRows, attentionTileFloats/dh)),
	}
	groups := [3]uint32{uint32((tokens + attentionRows - 1) / attentionRows), uint32(batch * heads), 1}
	return consts, groups, attentionParams{uint32(batch), uint32(tokens), uint32(heads), scale}
}

// Attention runs the fused forward: out = softmax(scale·q·kᵀ)·v per head and the
// log-sum-exp of every query. out, q, k, v: [batch, tokens, heads, dh]; lse: [batch, heads, tokens].
func (r *Runtime) Attention(out, lse, q, k, v Buf, batch, tokens, heads, dh int, scale float32) {
	consts, groups, u := attentionSetup(batch, tokens, heads, dh, scale)
	if batch*tokens*heads == 0 {
		return
	}
	r.Dispatch(&attentionForwardKernel, consts, u, groups, q, k, v, out, lse)
}

// AttentionBackward computes dq, dk, dv: [batch, tokens, heads, dh] from dOut and the
// forward's q, k, v, out and lse: [batch, heads, tokens], in two kernels: dq per query, which
// also stores delta = dOut·out into the scratch delta: [batch, heads, tokens], then dk, dv
// per key, which read it.
func (r *Runtime) AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, out, lse Buf, batch, tokens, heads, dh int, scale float32) {
	consts, groups, u := attentionSetup(batch, tokens, heads, dh, scale)
	if batch*tokens*heads == 0 {
		return
	}
	r.Dispatch(&attentionBackwardDQKernel, consts, u, groups, q, k, v, dq, lse, delta, dOut, out)
	r.Dispatch(&attentionBackwardDKVKernel, consts, u, groups, q, k, v, dk, lse, delta, dOut, dv)
}
