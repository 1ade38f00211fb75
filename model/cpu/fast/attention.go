package fast

import (
	"math"

	"flowsphere/model/cpu/pool"
	"flowsphere/model/tensor"
)

// Attention is tensor.Ops' Attention and AttentionBackward on a fast product. The heads are
// gathered into contiguous [batch·heads, tokens, dh] matrices so that the scores, the
// weighted sums and the five backward products are batched products on Mul; the softmax
// and its backward run row by row in float32 between them. model/cpu's reference keeps the
// row-by-row float64 kernels, which this one is checked against.
type Attention struct {
	Mul     Product
	Scratch *pool.Buffer[float32] // the head-major matrices
	Shape
}

// Shape is the size of an attention call.
type Shape struct {
	Batch, Tokens, Heads, DH int
	Scale                    float32
}

// sizes returns the number of score rows (queries of every head), the size of one
// head-major matrix and that of one score matrix.
func (f *Attention) sizes() (rows, head, scores int) {
	rows = f.Batch * f.Heads * f.Tokens
	return rows, rows * f.DH, rows * f.Tokens
}

// product runs one batched product over every (batch, head) pair: out = op(a)·op(b) with
// out m×n, contraction k. out, a, b: [batch·heads, …] head-major scratch.
func (f *Attention) product(out, a, b []float32, m, n, k int, transA, transB bool) {
	items := f.Batch * f.Heads
	f.Mul(out, a, b, tensor.MatMulDims{M: m, N: n, K: k, TransA: transA, TransB: transB,
		Batch: items, StrideA: m * k, StrideB: k * n, StrideOut: m * n}, false)
}

// Forward computes full softmax attention and each query's log-sum-exp, as tensor.Ops'
// Attention. out, q, k, v: [batch, tokens, heads, dh]; lse: [batch, heads, tokens].
func (f *Attention) Forward(out, lse, q, k, v []float32) {
	rows, head, scores := f.sizes()
	buf, held := f.Scratch.Take(4*head + scores)
	defer f.Scratch.Give(held)
	qh, kh, vh, oh, s := buf[:head], buf[head:2*head], buf[2*head:3*head], buf[3*head:4*head], buf[4*head:]
	f.heads4(true, [4][]float32{q, k, v}, [4][]float32{qh, kh, vh})
	t, dh := f.Tokens, f.DH
	f.product(s, qh, kh, t, t, dh, false, true)
	pool.Run(rows, max(1, 4096/t), softmaxRowsTask{s, lse, t, f.Scale})
	f.product(oh, s, vh, t, dh, t, false, false)
	f.heads4(false, [4][]float32{out}, [4][]float32{oh})
}

// Backward computes dq, dk, dv and the scratch delta as tensor.Ops' AttentionBackward.
// dq, dk, dv, dOut, q, k, v, out: [batch, tokens, heads, dh]; delta, lse: [batch, heads, tokens].
func (f *Attention) Backward(dq, dk, dv, delta, dOut, q, k, v, out, lse []float32) {
	rows, head, scores := f.sizes()
	buf, held := f.Scratch.Take(7*head + 2*scores)
	defer f.Scratch.Give(held)
	var m [7][]float32
	for i := range m {
		m[i] = buf[i*head:][:head]
	}
	qh, kh, vh, doh, dqh, dkh, dvh := m[0], m[1], m[2], m[3], m[4], m[5], m[6]
	p, dp := buf[7*head:][:scores], buf[7*head+scores:][:scores]
	f.heads4(true, [4][]float32{q, k, v, dOut}, [4][]float32{qh, kh, vh, doh})
	t, dh := f.Tokens, f.DH
	f.product(p, qh, kh, t, t, dh, false, true)
	pool.Run(rows, max(1, 4096/t), probsTask{p, delta, lse, dOut, out, f.Shape})
	f.product(dvh, p, doh, t, dh, t, true, false) // dV = Pᵀ·dO
	f.product(dp, doh, vh, t, t, dh, false, true) // dP = dO·Vᵀ
	pool.Run(rows, max(1, 4096/t), scoreGradTask{p, dp, delta, t, f.Scale})
	f.product(dqh, p, kh, t, dh, t, false, false) // dQ = dS·K (p now holds dS)
	f.product(dkh, p, qh, t, dh, t, true, false)  // dK = dSᵀ·Q
	f.heads4(false, [4][]float32{dq, dk, dv}, [4][]float32{dqh, dkh, dvh})
}

// heads4 copies up to four tensors between the token-major and head-major layouts: into
// head when toHeads, else back into tok. Nil entries are skipped.
// tok: [batch, tokens, heads, dh] each; head: [batch·heads, tokens, dh] each.
func (f *Attention) heads4(toHeads bool, tok, head [4][]float32) {
	pool.Run(f.Batch*f.Tokens, max(1, 4096/(f.Heads*f.DH)), headsTask{tok, head, toHeads, f.Tokens, f.Heads, f.DH})
}

// headsTask is heads4 over (batch, token) rows.
type headsTask struct {
	tok, head         [4][]float32
	toHeads           bool
	tokens, heads, dh int
}

func (t *headsTask) Run(_ *pool.Worker, lo, hi int) {
	for bt := lo; bt < hi; bt++ {
		b, i := bt/t.tokens, bt%t.tokens
		for h := range t.heads {
			src := (bt*t.heads + h) * t.dh
			dst := ((b*t.heads+h)*t.tokens + i) * t.dh
			for m, tok := range t.tok {
				if tok == nil {
					continue
				}
				if t.toHeads {
					copy(t.head[m][dst:dst+t.dh], tok[src:src+t.dh])
				} else {
					copy(tok[src:src+t.dh], t.head[m][dst:dst+t.dh])
				}
			}
		}
	}
}

// softmaxRowsTask turns each row of raw scores q·k into the softmax of scale·q·k in place,
// storing the row's log-sum-exp. s: [rows, tokens]; lse: [rows].
type softmaxRowsTask struct {
	s, lse []float32
	tokens int
	scale  float32
}

func (t *softmaxRowsTask) Run(_ *pool.Worker, lo, hi int) {
	for r := lo; r < hi; r++ {
		row := t.s[r*t.tokens:][:t.tokens]
		m := maxOf(row, float32(math.Inf(-1))) * t.scale // scale > 0: the largest scaled score
		sum := expAffine(row, t.scale, m)
		scaleRow(row, 1/sum)
		t.lse[r] = m + float32(math.Log(float64(sum)))
	}
}

// probsTask recomputes the probabilities P = exp(scale·q·k − lse) in place of the raw
// scores and stores delta = dOut·out for each row (query).
// p: [batch·heads·tokens, tokens]; delta, lse: [batch, heads, tokens];
// dOut, out: [batch, tokens, heads, dh].
type probsTask struct {
	p, delta, lse, dOut, out []float32
	Shape
}

func (t *probsTask) Run(_ *pool.Worker, lo, hi int) {
	for r := lo; r < hi; r++ {
		bh, i := r/t.Tokens, r%t.Tokens
		o := ((bh/t.Heads*t.Tokens+i)*t.Heads + bh%t.Heads) * t.DH // element (b, i, h, 0)
		d := float32(0)
		for c, g := range t.dOut[o : o+t.DH] {
			d += g * t.out[o+c]
		}
		t.delta[r] = d
		expAffine(t.p[r*t.Tokens:][:t.Tokens], t.Scale, t.lse[r])
	}
}

// scoreGradTask turns P into the gradient of the raw scores in place:
// dS = scale·P·(dP − delta). p, dp: [rows, tokens]; delta: [rows].
type scoreGradTask struct {
	p, dp, delta []float32
	tokens       int
	scale        float32
}

func (t *scoreGradTask) Run(_ *pool.Worker, lo, hi int) {
	for r := lo; r < hi; r++ {
		row, g, d := t.p[r*t.tokens:][:t.tokens], t.dp[r*t.tokens:][:t.tokens], t.delta[r]
		for j, pj := range row {
			row[j] = t.scale * pj * (g[j] - d)
		}
	}
}
