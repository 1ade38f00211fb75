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
		angles := t.table.angles[bt%t.tokens%t.cells*dh:][:dh]
		cos, sin := angles[:dh/2], angles[dh/2:]
		for h := range t.heads {
			x, y := t.in[(bt*t.heads+h)*dh:][:dh], t.out[(bt*t.heads+h)*dh:][:dh]
			for p := range dh / 2 {
				x0, x1, s := float64(x[2*p]), float64(x[2*p+1]), t.sign*sin[p]
				y[2*p] = T(x0*cos[p] - x1*s)
				y[2*p+1] = T(x0*s + x1*cos[p])
			}
		}
	}
}
