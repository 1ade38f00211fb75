package cpu

import (
	"math"
	"sync"

	"flowsphere/model/cpu/fast"
	"flowsphere/model/cpu/pool"
)

// rope2D rotates pairs (2p, 2p+1) of every head vector by the token's grid position: pairs
// p < dh/4 by the grid row, the others by the grid column, pair i of each half with frequency
// base^(-i/(dh/4)). Token t sits at cell t mod (gridH·gridW). Inverse rotates by the negative
// angle, which is the transpose and so the backward. out, in: [batch, tokens, heads, dh].
// Each pair is read before it is written, so out may equal in.
func rope2D[T Float](out, in []T, batch, tokens, heads, dh, gridH, gridW int, base float64, inverse bool) {
	sign := 1.0
	if inverse {
		sign = -1
	}
	table := ropeTable(ropeGrid{gridH, gridW, dh, base})
	pool.Run(batch*tokens, max(1, 4096/(heads*dh)), ropeTask[T]{out, in, table, tokens, heads, dh, gridH * gridW, sign})
}

// ropeGrid is what a RoPE angle table depends on.
type ropeGrid struct {
	gridH, gridW, dh int
	base             float64
}

// ropeAngles is the angle table of a ropeGrid, in two layouts. angles: [cells, dh], for each
// grid cell the cosines then the sines of its dh/2 pair angles; pairs: [cells, 2, dh], for
// each cell the cosines each written twice (c0 c0 c1 c1 …) then the sines with the sign of
// their pair element (−s0 s0 −s1 s1 …), for the float32 vector rotation.
type ropeAngles struct {
	angles []float64
	pairs  []float32
}

// ropeTables holds the angle table of each ropeGrid used so far (a model has one or two),
// so that a call computes no sines.
var ropeTables sync.Map // ropeGrid → *ropeAngles

// ropeTable returns g's angle table.
func ropeTable(g ropeGrid) *ropeAngles {
	if t, ok := ropeTables.Load(g); ok {
		return t.(*ropeAngles)
	}
	dh, quarter, cells := g.dh, g.dh/4, g.gridH*g.gridW
	a := &ropeAngles{make([]float64, cells*dh), make([]float32, cells*2*dh)}
	for cell := range cells {
		cos, sin := a.angles[cell*dh:][:dh/2], a.angles[cell*dh+dh/2:][:dh/2]
		cosDup, sinSigned := a.pairs[2*cell*dh:][:dh], a.pairs[(2*cell+1)*dh:][:dh]
		pos := [2]int{cell / g.gridW, cell % g.gridW}
		for p := range dh / 2 {
			theta := float64(pos[p/quarter]) * math.Pow(g.base, -float64(p%quarter)/float64(quarter))
			sin[p], cos[p] = math.Sincos(theta)
			cosDup[2*p], cosDup[2*p+1] = float32(cos[p]), float32(cos[p])
			sinSigned[2*p], sinSigned[2*p+1] = -float32(sin[p]), float32(sin[p])
		}
	}
	t, _ := ropeTables.LoadOrStore(g, a)
	return t.(*ropeAngles)
}

type ropeTask[T Float] struct {
	out, in                  []T
	table                    *ropeAngles
	tokens, heads, dh, cells int
	sign                     float64
}

// run rotates every head vector of the (batch, token) rows [lo, hi) by its cell's angles,
// their sines negated for the inverse: float32 rows in vector lanes where the build has
// them (fast.RoPE), others in float64.
func (t *ropeTask[T]) Run(_ *pool.Worker, lo, hi int) {
	if out, ok := any(t.out).([]float32); ok && fast.RoPE(out, any(t.in).([]float32), t.table.pairs, lo, hi, t.tokens, t.heads*t.dh, t.dh, t.cells, float32(t.sign)) {
		return
	}
	dh := t.dh
	for bt := lo; bt < hi; bt++ {
		angles := t.table.cell(bt, t.tokens, t.cells, dh)
		for h := range t.heads {
			rotateHead(t.out[(bt*t.heads+h)*dh:][:dh], t.in[(bt*t.heads+h)*dh:][:dh], angles, t.sign)
		}
	}
}

// cell returns the angles of the grid cell of row bt (token bt mod tokens): [dh], the
// cosines then the sines.
func (a *ropeAngles) cell(bt, tokens, cells, dh int) []float64 {
	return a.angles[bt%tokens%cells*dh:][:dh]
}

// rotateHead turns the pairs of one head vector x by the angles of its cell (cosines then
// sines), backwards when sign is −1, in float64. y may equal x. y, x: [dh]; angles: [dh].
func rotateHead[T Float](y, x []T, angles []float64, sign float64) {
	dh := len(x)
	cos, sin := angles[:dh/2], angles[dh/2:]
	for p := range dh / 2 {
		x0, x1, s := float64(x[2*p]), float64(x[2*p+1]), sign*sin[p]
		y[2*p] = T(x0*cos[p] - x1*s)
		y[2*p+1] = T(x0*s + x1*cos[p])
	}
}

// qkShape is the size of a QK-norm and RoPE call: rows = batch·tokens rows of q ‖ k ‖ v,
// heads head vectors of dh each.
type qkShape struct {
	rows, tokens, heads, dh, cells int
	table                          *ropeAngles
}

// newQKShape returns the shape of a call and its RoPE angle table.
func newQKShape(batch, tokens, heads, dh, gridH, gridW int, base float64) qkShape {
	return qkShape{batch * tokens, tokens, heads, dh, gridH * gridW, ropeTable(ropeGrid{gridH, gridW, dh, base})}
}

// head returns the offsets of head h of part (0 q, 1 k, 2 v) of row r in the packed qkv
// [rows, 3·heads·dh] and in the head-split qkvh [3, rows, heads, dh].
func (s *qkShape) head(r, part, h int) (packed, split int) {
	e := s.heads * s.dh
	return r*3*e + part*e + h*s.dh, part*s.rows*e + (r*s.heads+h)*s.dh
}

// qkNormRoPE prepares attention's inputs from a packed projection: for every row and head,
// the q and k vectors normalised by their RMS and multiplied by their gains, x·s·g with
// s = 1/sqrt(mean(x²) + eps) (QK-norm, rmsNorm's formula), then rotated as rope2D; v is
// copied. qkvh: [3, rows, heads, dh]; rstd: [2, rows·heads]; qkv: [rows, 3·heads·dh];
// gq, gk: [dh].
func qkNormRoPE[T Float](qkvh, rstd, qkv, gq, gk []T, batch, tokens, heads, dh, gridH, gridW int, base, eps float64) {
	s := newQKShape(batch, tokens, heads, dh, gridH, gridW, base)
	pool.Run(s.rows, max(1, 4096/(3*heads*dh)), qkNormTask[T]{qkvh, rstd, qkv, gq, gk, s, eps})
}

type qkNormTask[T Float] struct {
	qkvh, rstd, qkv, gq, gk []T
	qkShape
	eps float64
}

// Run prepares the rows [lo, hi).
func (t *qkNormTask[T]) Run(_ *pool.Worker, lo, hi int) {
	dh := t.dh
	for r := lo; r < hi; r++ {
		angles := t.table.cell(r, t.tokens, t.cells, dh)
		for part, gain := range [2][]T{t.gq, t.gk} {
			for h := range t.heads {
				src, dst := t.head(r, part, h)
				x, y := t.qkv[src:][:dh], t.qkvh[dst:][:dh]
				s := 1 / math.Sqrt(weightedDot(x, x, nil)/float64(dh)+t.eps)
				t.rstd[(part*t.rows+r)*t.heads+h] = T(s)
				mulAffine(y, x, gain, s, 0)
				rotateHead(y, y, angles, 1)
			}
		}
		src, dst := t.head(r, 2, 0)
		copy(t.qkvh[dst:][:t.heads*dh], t.qkv[src:][:t.heads*dh])
	}
}

// qkNormRoPEBackward overwrites dqkv: [rows, 3·heads·dh] with the gradient of qkNormRoPE
// from dqkvh: [3, rows, heads, dh] and the forward's qkv, gains gq, gk: [dh] and rstd:
// [2, rows·heads], and adds the gains' gradients into dgq, dgk: [dh]. For q and k, with dy
// the head's gradient rotated back (rope2D's backward) and s its rstd,
// dx = s·g·dy − x·s³/dh·Σ dy·g·x (rmsNormBackward's formula) and dg += Σ dy·x·s over every
// row and head; dv is dqkvh's v copied.
func qkNormRoPEBackward[T Float](dqkv, dgq, dgk, dqkvh, qkv, gq, gk, rstd []T, batch, tokens, heads, dh, gridH, gridW int, base float64) {
	s := newQKShape(batch, tokens, heads, dh, gridH, gridW, base)
	pool.Run(s.rows, max(1, 4096/(3*heads*dh)), qkNormBackwardTask[T]{dqkv, dqkvh, qkv, [2][]T{gq, gk}, [2][]T{dgq, dgk}, rstd, s})
	// The gain sums run over every row in order, one task per gain, so that they do not
	// depend on the thread count.
	pool.Run(2, 1, qkNormBackwardTask[T]{dqkv, dqkvh, qkv, [2][]T{gq, gk}, [2][]T{dgq, dgk}, rstd, s}.gains())
}

type qkNormBackwardTask[T Float] struct {
	dqkv, dqkvh, qkv []T
	gain, dGain      [2][]T
	rstd             []T
	qkShape
}

// dy rotates the output gradient of head h of part of row r back into g: [dh] and returns
// it with the head's input x and rstd s.
func (t *qkNormBackwardTask[T]) dy(g []T, r, part, h int) (x []T, s float64) {
	src, dst := t.head(r, part, h)
	rotateHead(g, t.dqkvh[dst:][:t.dh], t.table.cell(r, t.tokens, t.cells, t.dh), -1)
	return t.qkv[src:][:t.dh], float64(t.rstd[(part*t.rows+r)*t.heads+h])
}

// Run writes the input gradients of the rows [lo, hi).
func (t *qkNormBackwardTask[T]) Run(w *pool.Worker, lo, hi int) {
	dh := t.dh
	g := scratchOf[T](w, dh)
	for r := lo; r < hi; r++ {
		for part, gain := range t.gain {
			for h := range t.heads {
				x, s := t.dy(g, r, part, h)
				src, _ := t.head(r, part, h)
				k := s * s * s * weightedDot(g, x, gain) / float64(dh)
				normBackwardRow(t.dqkv[src:][:dh], g, x, gain, s, k)
			}
		}
		src, dst := t.head(r, 2, 0)
		copy(t.dqkv[src:][:t.heads*dh], t.dqkvh[dst:][:t.heads*dh])
	}
}

// gains is the task that adds the gains' gradients.
func (t qkNormBackwardTask[T]) gains() qkGainTask[T] { return qkGainTask[T](t) }

// qkGainTask adds Σ dy·x·s over every row and head into dGain[part] for the parts [lo, hi).
type qkGainTask[T Float] qkNormBackwardTask[T]

func (t *qkGainTask[T]) Run(w *pool.Worker, lo, hi int) {
	b := (*qkNormBackwardTask[T])(t)
	g := scratchOf[T](w, t.dh)
	acc := w.Float64s(t.dh)
	for part := lo; part < hi; part++ {
		clear(acc)
		for r := range t.rows {
			for h := range t.heads {
				x, s := b.dy(g, r, part, h)
				accumulate(acc, g, x, s)
			}
		}
		for c, v := range acc {
			t.dGain[part][c] += T(v)
		}
	}
}
