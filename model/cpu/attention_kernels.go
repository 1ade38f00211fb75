package cpu

import (
	"math"

	"flowsphere/model/cpu/pool"
)

// headRow is the offset of element (b, t, h, 0) in a [batch, tokens, heads, dh] tensor.
func headRow(b, t, h, tokens, heads, dh int) int { return ((b*tokens+t)*heads + h) * dh }

// headDot is Σ a·b over two head vectors, accumulated in float64.
func headDot[T Float](a, b []T) float64 {
	s := 0.0
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

// attentionScores sets s[j] = scale·q_i·k_j for every key j of head (b, h). q_i: [dh];
// k: [batch, tokens, heads, dh]; s: [tokens].
func attentionScores[T Float](s []float64, qi, k []T, b, h, tokens, heads, dh int, scale float64) {
	for j := range s {
		s[j] = scale * headDot(qi, k[headRow(b, j, h, tokens, heads, dh):][:dh])
	}
}

// attentionShape is the size of an attention call, shared by the forward and backward tasks.
type attentionShape struct {
	tokens, heads, dh int
	scale             float64
}

// attention computes full softmax attention row by row in float64: out_i = Σ_j P_ij v_j with
// P_i = softmax(scale·q_i·kᵀ), and lse[b,h,i] = log Σ_j exp(scale·q_i·k_j).
// out, q, k, v: [batch, tokens, heads, dh]; lse: [batch, heads, tokens].
func attention[T Float](out, lse, q, k, v []T, batch, tokens, heads, dh int, scale float64) {
	pool.Run(batch*heads, 1, attentionTask[T]{out, lse, q, k, v, attentionShape{tokens, heads, dh, scale}})
}

type attentionTask[T Float] struct {
	out, lse, q, k, v []T
	attentionShape
}

// run handles the (batch, head) pairs [lo, hi).
func (t *attentionTask[T]) Run(w *pool.Worker, lo, hi int) {
	tokens, heads, dh := t.tokens, t.heads, t.dh
	buf := w.Float64s(tokens + dh)
	s, acc := buf[:tokens], buf[tokens:]
	for bh := lo; bh < hi; bh++ {
		b, h := bh/heads, bh%heads
		for i := range tokens {
			oi := headRow(b, i, h, tokens, heads, dh)
			attentionScores(s, t.q[oi:oi+dh], t.k, b, h, tokens, heads, dh, t.scale)
			m := math.Inf(-1)
			for _, sj := range s {
				m = max(m, sj)
			}
			sum := 0.0
			clear(acc)
			for j, sj := range s {
				p := math.Exp(sj - m)
				sum += p
				vj := t.v[headRow(b, j, h, tokens, heads, dh):][:dh]
				for d := range acc {
					acc[d] += p * float64(vj[d])
				}
			}
			for d := range acc {
				t.out[oi+d] = T(acc[d] / sum)
			}
			t.lse[bh*tokens+i] = T(m + math.Log(sum))
		}
	}
}

// attentionBackward is the FlashAttention-2 backward in float64, one (batch, head) at a time:
// delta_i = dOut_i·out_i, P_ij = exp(scale·q_i·k_j − lse_i), dS_ij = P_ij·(dOut_i·v_j − delta_i),
// dq_i = scale·Σ_j dS_ij k_j, dk_j = scale·Σ_i dS_ij q_i, dv_j = Σ_i P_ij dOut_i.
// dq, dk, dv, dOut, q, k, v, out: [batch, tokens, heads, dh]; delta, lse: [batch, heads, tokens].
func attentionBackward[T Float](dq, dk, dv, delta, dOut, q, k, v, out, lse []T, batch, tokens, heads, dh int, scale float64) {
	pool.Run(batch*heads, 1, attentionBackwardTask[T]{dq, dk, dv, delta, dOut, q, k, v, out, lse, attentionShape{tokens, heads, dh, scale}})
}

type attentionBackwardTask[T Float] struct {
	dq, dk, dv, delta, dOut, q, k, v, out, lse []T
	attentionShape
}

// run handles the (batch, head) pairs [lo, hi).
func (t *attentionBackwardTask[T]) Run(w *pool.Worker, lo, hi int) {
	tokens, heads, dh, scale := t.tokens, t.heads, t.dh, t.scale
	buf := w.Float64s(tokens + dh + 2*tokens*dh)
	s, dqi := buf[:tokens], buf[tokens:tokens+dh]
	dkh, dvh := buf[tokens+dh:][:tokens*dh], buf[tokens+dh+tokens*dh:][:tokens*dh]
	for bh := lo; bh < hi; bh++ {
		b, h := bh/heads, bh%heads
		clear(dkh)
		clear(dvh)
		for i := range tokens {
			oi := headRow(b, i, h, tokens, heads, dh)
			qi, doi := t.q[oi:oi+dh], t.dOut[oi:oi+dh]
			di := headDot(doi, t.out[oi:oi+dh])
			t.delta[bh*tokens+i] = T(di)
			li := float64(t.lse[bh*tokens+i])
			attentionScores(s, qi, t.k, b, h, tokens, heads, dh, scale)
			clear(dqi)
			for j, sj := range s {
				oj := headRow(b, j, h, tokens, heads, dh)
				kj := t.k[oj : oj+dh]
				p := math.Exp(sj - li)
				ds := p * (headDot(doi, t.v[oj:oj+dh]) - di)
				dkj, dvj := dkh[j*dh:][:dh], dvh[j*dh:][:dh]
				for d := range dqi {
					dqi[d] += ds * float64(kj[d])
					dkj[d] += ds * float64(qi[d])
					dvj[d] += p * float64(doi[d])
				}
			}
			for d, g := range dqi {
				t.dq[oi+d] = T(scale * g)
			}
		}
		for j := range tokens {
			oj := headRow(b, j, h, tokens, heads, dh)
			for d := range dh {
				t.dk[oj+d] = T(scale * dkh[j*dh+d])
				t.dv[oj+d] = T(dvh[j*dh+d])
			}
		}
	}
}
