package opcheck

import (
	"math"

	"flowsphere/model/tensor"
)

// attnShape is one attention case shape: q, k, v, out are [batch, tokens, heads, dh].
type attnShape struct {
	name                     string
	batch, tokens, heads, dh int
	qk, v                    float64 // standard deviations of q and k, and of v
}

func (s attnShape) x() []int   { return []int{s.batch, s.tokens, s.heads, s.dh} }
func (s attnShape) lse() []int { return []int{s.batch, s.heads, s.tokens} }

// scale is the usual 1/sqrt(dh) logit scale.
func (s attnShape) scale() float32 { return float32(1 / math.Sqrt(float64(s.dh))) }

// attentionShapes cover a single query, token counts that leave a partial 64-query block
// (7, 65, 70), one head, the smallest head dim, the largest (whose key tiles hold 32 rows),
// logits in the hundreds with values ~1e4, and the model's shapes (4 heads of dh = 32 over
// 64 tokens and over the refiner's 3 segments of 64).
var attentionShapes = []attnShape{
	{"T=1 heads=1 dh=4", 1, 1, 1, 4, 1, 1},
	{"T=7 batch=2 heads=3 dh=4", 2, 7, 3, 4, 1, 1},
	{"T=65 batch=2 heads=2 dh=16", 2, 65, 2, 16, 1, 1},
	{"T=70 heads=1 dh=64", 1, 70, 1, 64, 1, 1},
	{"large q,k~20 v~1e4 T=33 heads=2 dh=8", 2, 33, 2, 8, 20, 1e4},
	{"model B=32 T=64 H=4 dh=32", 32, 64, 4, 32, 1, 1},
	{"model B=32 T=192 H=4 dh=32", 32, 192, 4, 32, 1, 1},
}

// attentionTols are the per-output tolerances of one shape (dk shares dq's).
type attentionTols struct{ out, lse, dq, dv, delta Tol }

// tols derives the tolerances from the input scales. Both backends start from the same
// float32 inputs; the CPU works in float64 while the GPU rounds each logit to f32 (a dot
// product of dh terms) and takes exp and log in f32, in another summation order. That leaves
// every P_ij off by a relative ~1e-7 per unit of logit magnitude, and the logits' standard
// deviation is qk² at scale 1/sqrt(dh). pErr bounds P's relative error at 3× or more above
// what lavapipe shows.
func (s attnShape) tols() attentionTols {
	pErr := 2e-6 * (1 + s.qk*s.qk)
	return attentionTols{
		out: Tol{Abs: pErr * s.v, Rel: 1e-6, Why: "out = P·v: P's f32 relative error times |v|"},
		lse: Tol{Abs: pErr, Rel: 1e-6, Why: "log Σ exp in f32: P's relative error, plus an ulp of lse"},
		dq: Tol{Abs: pErr * s.v * s.qk, Rel: 1e-6,
			Why: "scale·Σ P(dOut·v − delta)·k: P's relative error times |dOut·v| ~ |v|·sqrt(dh) times scale·|k| (|k| ~ qk); " +
				"dOut·v − delta cancels where P is nearly one-hot"},
		dv: Tol{Abs: 4 * pErr, Rel: 1e-6, Why: "Σ_i P_ij·dOut_i with dOut ~ N(0,1): P's relative error summed over the queries"},
		delta: Tol{Abs: 1e-6 * s.v * math.Sqrt(float64(s.dh)), Rel: 1e-6,
			Why: "dOut·out over dh f32 products with |out| ≤ |v|: a few ulps of the sum's scale"},
	}
}

// attentionCases is the attention family's part of the table: Attention and
// AttentionBackward.
func attentionCases() []Case {
	var cases []Case
	for _, s := range attentionShapes {
		tol := s.tols()
		cases = append(cases,
			Case{"attention", "forward", s.name, func(h *Harness) {
				q, k, v := h.Input(s.qk, s.x()...), h.Input(s.qk, s.x()...), h.Input(s.v, s.x()...)
				out, lse := h.Output(nil, s.x()...), h.Output(nil, s.lse()...)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
					b.Attention(t(out), t(lse), t(q), t(k), t(v), s.batch, s.tokens, s.heads, s.dh, s.scale())
				})
				h.Check("out", out, tol.out)
				h.Check("lse", lse, tol.lse)
			}},
			Case{"attention", "backward", s.name, func(h *Harness) {
				q, k, v := h.Input(s.qk, s.x()...), h.Input(s.qk, s.x()...), h.Input(s.v, s.x()...)
				out, lse := referenceAttention(h, s, q, k, v)
				dOut := h.Input(1, s.x()...)
				dq, dk, dv := h.Output(nil, s.x()...), h.Output(nil, s.x()...), h.Output(nil, s.x()...)
				delta := h.Output(nil, s.lse()...)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
					b.AttentionBackward(t(dq), t(dk), t(dv), t(delta), t(dOut), t(q), t(k), t(v), t(out), t(lse),
						s.batch, s.tokens, s.heads, s.dh, s.scale())
				})
				h.Check("dq", dq, tol.dq)
				h.Check("dk", dk, tol.dq) // the same sum with q and k swapped
				h.Check("dv", dv, tol.dv)
				// delta is scratch, but both backends store dOut·out in it; comparing it also
				// checks its guard words.
				h.Check("delta", delta, tol.delta)
			}},
		)
	}
	return cases
}

// referenceAttention runs the forward on the reference backend and uploads its out and lse
// to both, so that the backward sees consistent inputs.
func referenceAttention(h *Harness, s attnShape, q, k, v Pair) (out, lse Pair) {
	o, l := h.alloc(h.Ref, s.x()), h.alloc(h.Ref, s.lse())
	h.Ref.Attention(o, l, q.ref, k.ref, v.ref, s.batch, s.tokens, s.heads, s.dh, s.scale())
	od, err := h.Ref.Download(o)
	if err != nil {
		h.fail("reference forward: %v", err)
	}
	ld, err := h.Ref.Download(l)
	if err != nil {
		h.fail("reference forward: %v", err)
	}
	return h.From(od, s.x()...), h.From(ld, s.lse()...)
}
