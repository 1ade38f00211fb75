package prior

import (
	"math"
	"sort"

	"flowsphere/model/parallel"
	"flowsphere/model/quality"
)

// principal returns a mixture with no components yet whose centre is the points' mean, basis
// their rank leading principal directions and residual the standard deviation they keep
// outside it. x: [n][Dim].
func principal(x [][]float64, rank int) *Mixture {
	n, d := len(x), len(x[0])
	center := make([]float64, d)
	for _, p := range x {
		for j, v := range p {
			center[j] += v
		}
	}
	for j := range center {
		center[j] /= float64(n)
	}
	cov := make([]float64, d*d)
	parallel.For(d, func(a int) {
		row := cov[a*d : (a+1)*d]
		for _, p := range x {
			da := p[a] - center[a]
			for b, v := range p {
				row[b] += da * (v - center[b])
			}
		}
		for b := range row {
			row[b] /= float64(n)
		}
	})
	values, vecs := quality.EigenSym(cov, d)
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return values[order[i]] > values[order[j]] })
	m := &Mixture{Dim: d, Rank: rank, Center: center, Basis: make([]float64, d*rank)}
	kept, total := 0.0, 0.0
	for i := range d {
		total += cov[i*d+i]
	}
	for j, col := range order[:rank] {
		kept += values[col]
		for i := range d {
			m.Basis[i*rank+j] = vecs[i*d+col]
		}
	}
	if d > rank {
		m.Residual = math.Sqrt(max(0, total-kept) / float64(d-rank))
	}
	return m
}

// project maps points x: [n][Dim] to their basis coordinates Bᵀ(x − centre): [n][Rank].
func (m *Mixture) project(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	parallel.For(len(x), func(i int) {
		y := make([]float64, m.Rank)
		for r, v := range x[i] {
			dv := v - m.Center[r]
			for j, b := range m.Basis[r*m.Rank : (r+1)*m.Rank] {
				y[j] += b * dv
			}
		}
		out[i] = y
	})
	return out
}
