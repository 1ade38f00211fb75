package cpu

import (
	"math"
	"testing"
)

// attnShape is one attention or RoPE test shape.
type attnShape struct {
	name                     string
	batch, tokens, heads, dh int
	scale                    float64 // attention logit scale
	gridH, gridW             int     // RoPE grid
	base                     float64 // RoPE frequency base
}

func (s attnShape) n() int { return s.batch * s.tokens * s.heads * s.dh }

var attnShapes = []attnShape{
	{name: "T=1 dh=4", batch: 1, tokens: 1, heads: 1, dh: 4, scale: 0.5, gridH: 1, gridW: 1, base: 10000},
	{name: "T=5 dh=4", batch: 1, tokens: 5, heads: 1, dh: 4, scale: 1, gridH: 2, gridW: 2, base: 100},
	{name: "T=5 heads=2 dh=8 batch=2", batch: 2, tokens: 5, heads: 2, dh: 8, scale: 1 / math.Sqrt(8), gridH: 2, gridW: 3, base: 10000},
	{name: "T=3 heads=2 dh=8 scale=2", batch: 1, tokens: 3, heads: 2, dh: 8, scale: 2, gridH: 1, gridW: 3, base: 10},
}

// TestAttentionGradients checks dq, dk, dv of the loss ⟨g, attention(q, k, v)⟩ by central
// differences.
func TestAttentionGradients(t *testing.T) {
	for i, s := range attnShapes {
		t.Run(s.name, func(t *testing.T) {
			rng := newRand(uint64(10 + i))
			q, k, v, g := randn(rng, s.n(), 0.8), randn(rng, s.n(), 0.8), randn(rng, s.n(), 1), randn(rng, s.n(), 1)
			out, lse := make([]float64, s.n()), make([]float64, s.batch*s.heads*s.tokens)
			forward := func() {
				attention(out, lse, q, k, v, s.batch, s.tokens, s.heads, s.dh, s.scale)
			}
			forward()
			dq, dk, dv := make([]float64, s.n()), make([]float64, s.n()), make([]float64, s.n())
			delta := make([]float64, len(lse))
			attentionBackward(dq, dk, dv, delta, g, q, k, v, out, lse, s.batch, s.tokens, s.heads, s.dh, s.scale)
			loss := func() float64 { forward(); return dot(g, out) }
			gradCheck(t, loss, [][]float64{q, k, v}, [][]float64{dq, dk, dv}, 1e-6)
		})
	}
}

// TestAttentionForward compares the max-shifted kernel with the textbook formula
// softmax(scale·q·kᵀ)·v and log Σ exp, written without any shift.
func TestAttentionForward(t *testing.T) {
	for i, s := range attnShapes {
		t.Run(s.name, func(t *testing.T) {
			rng := newRand(uint64(20 + i))
			q, k, v := randn(rng, s.n(), 1), randn(rng, s.n(), 1), randn(rng, s.n(), 1)
			out, lse := make([]float64, s.n()), make([]float64, s.batch*s.heads*s.tokens)
			attention(out, lse, q, k, v, s.batch, s.tokens, s.heads, s.dh, s.scale)
			at := func(x []float64, b, t, h, d int) float64 { return x[((b*s.tokens+t)*s.heads+h)*s.dh+d] }
			for b := range s.batch {
				for h := range s.heads {
					for i := range s.tokens {
						e := make([]float64, s.tokens)
						sum := 0.0
						for j := range e {
							logit := 0.0
							for d := range s.dh {
								logit += at(q, b, i, h, d) * at(k, b, j, h, d)
							}
							e[j] = math.Exp(s.scale * logit)
							sum += e[j]
						}
						if got, want := lse[(b*s.heads+h)*s.tokens+i], math.Log(sum); math.Abs(got-want) > 1e-12 {
							t.Fatalf("lse[%d,%d,%d] = %.15g, want %.15g", b, h, i, got, want)
						}
						for d := range s.dh {
							want := 0.0
							for j := range e {
								want += e[j] / sum * at(v, b, j, h, d)
							}
							if got := at(out, b, i, h, d); math.Abs(got-want) > 1e-12 {
								t.Fatalf("out[%d,%d,%d,%d] = %.15g, want %.15g", b, i, h, d, got, want)
							}
						}
					}
				}
			}
		})
	}
}

// TestAttentionLargeLogits feeds logits in the thousands, where exp overflows without the
// max shift: every output must stay a convex combination of the values and lse must lie in
// [max logit, max logit + log T].
func TestAttentionLargeLogits(t *testing.T) {
	const batch, tokens, heads, dh, scale = 1, 9, 2, 8, 0.35
	rng := newRand(3)
	n := batch * tokens * heads * dh
	q, k, v := randn(rng, n, 30), randn(rng, n, 30), randn(rng, n, 1e4)
	out, lse := make([]float64, n), make([]float64, heads*tokens)
	attention(out, lse, q, k, v, batch, tokens, heads, dh, scale)
	s := make([]float64, tokens)
	for h := range heads {
		for i := range tokens {
			oi := headRow(0, i, h, tokens, heads, dh)
			attentionScores(s, q[oi:oi+dh], k, 0, h, tokens, heads, dh, scale)
			m := math.Inf(-1)
			for _, sj := range s {
				m = max(m, sj)
			}
			if l := lse[h*tokens+i]; !(l >= m-1e-9 && l <= m+math.Log(tokens)+1e-9) {
				t.Fatalf("lse[%d,%d] = %g outside [%g, %g]", h, i, l, m, m+math.Log(tokens))
			}
			for d := range dh {
				lo, hi := math.Inf(1), math.Inf(-1)
				for j := range tokens {
					vj := v[headRow(0, j, h, tokens, heads, dh)+d]
					lo, hi = min(lo, vj), max(hi, vj)
				}
				if o := out[oi+d]; !(o >= lo-1e-9 && o <= hi+1e-9) {
					t.Fatalf("out[%d,%d,%d] = %g outside the values' range [%g, %g]", i, h, d, o, lo, hi)
				}
			}
		}
	}
}
