package cpu

import (
	"flowsphere/model/cpu/fast"
	"flowsphere/model/cpu/pool"
)

// Row primitives of the norms, adaLN, axpby and the bias and gain sums. Each generic form
// gives float32 rows to the vector lanes of model/cpu/fast first, which handle the longest
// prefix of whole vectors under GOEXPERIMENT=simd (none otherwise), and computes the rest,
// and every float64 row, one element at a time. Sums accumulate in float64 in both, so the
// two differ only in the order of the additions.

// weightedDot is Σ a[i]·b[i]·w[i] in float64, with w[i] = 1 when w is nil. a, b, w: [n].
func weightedDot[T Float](a, b, w []T) float64 {
	s, n := 0.0, 0
	if a32, ok := any(a).([]float32); ok {
		s, n = fast.WeightedDot(a32, any(b).([]float32), any(w).([]float32))
	}
	return s + weightedDotScalar(a[n:], b[n:len(a)], from(w, n))
}

func weightedDotScalar[T Float](a, b, w []T) float64 {
	s := 0.0
	for i := range a {
		s += float64(a[i]) * float64(b[i]) * gainAt(w, i)
	}
	return s
}

// mulAffine sets y[i] = x[i]·(s·g[i] + k) (g[i] = 1 when g is nil), computed in float64.
// y, x, g: [n].
func mulAffine[T Float](y, x, g []T, s, k float64) {
	n := 0
	if y32, ok := any(y).([]float32); ok {
		n = fast.MulAffine(y32, any(x).([]float32), any(g).([]float32), s, k)
	}
	for i, v := range x[n:] {
		y[n+i] = T(float64(v) * (s*gainAt(g, n+i) + k))
	}
}

// axpbyRow sets y[i] = alpha·x[i] + beta·y[i] at T's precision. y, x: [n].
func axpbyRow[T Float](y, x []T, alpha, beta T) {
	n := 0
	if y32, ok := any(y).([]float32); ok {
		n = fast.Axpby(y32, any(x).([]float32), float32(alpha), float32(beta))
	}
	for i := n; i < len(y); i++ {
		y[i] = alpha*x[i] + beta*y[i]
	}
}

// normBackwardRow sets dx[i] = s·g[i]·dy[i] − k·x[i] (g[i] = 1 when g is nil), computed
// in float64. dx, dy, x, g: [n].
func normBackwardRow[T Float](dx, dy, x, g []T, s, k float64) {
	n := 0
	if dx32, ok := any(dx).([]float32); ok {
		n = fast.NormBackward(dx32, any(dy).([]float32), any(x).([]float32), any(g).([]float32), s, k)
	}
	for i := n; i < len(x); i++ {
		dx[i] = T(s*gainAt(g, i)*float64(dy[i]) - k*float64(x[i]))
	}
}

// accumulate adds acc[i] += a[i]·b[i]·s (b[i] = 1 when b is nil). acc, a, b: [n].
func accumulate[T Float](acc []float64, a, b []T, s float64) {
	n := 0
	if a32, ok := any(a).([]float32); ok {
		n = fast.Accumulate(acc, a32, any(b).([]float32), s)
	}
	for i := n; i < len(a); i++ {
		acc[i] += float64(a[i]) * gainAt(b, i) * s
	}
}

// columnSums adds to acc the column sums of a strip of rows:
// acc[c] += Σ_r a[r·stride+c]·b[r·stride+c]·scale[r], with b[…] = 1 when b is nil and
// scale[r] = 1 when scale is nil, each column summed in float64 in row order (as accumulate
// row by row, to the bit). acc: [w]; a, b: rows rows of stride elements from the strip's
// first column; scale: [rows] or nil.
func columnSums[T Float](acc []float64, a, b, scale []T, rows, stride int) {
	n := 0
	if a32, ok := any(a).([]float32); ok {
		n = fast.ColumnSums(acc, a32, any(b).([]float32), any(scale).([]float32), rows, stride)
	}
	if n == len(acc) {
		return
	}
	acc, a, b = acc[n:], a[n:], from(b, n)
	for r := range rows {
		var rb []T
		if b != nil {
			rb = b[r*stride:][:len(acc)]
		}
		accumulate(acc, a[r*stride:][:len(acc)], rb, gainAt(scale, r))
	}
}

// from is x[n:], or nil for a nil x (an absent optional row).
func from[T Float](x []T, n int) []T {
	if x == nil {
		return nil
	}
	return x[n:]
}

// stripCols is the width of the column strips of the sums over rows that run in parallel
// over columns (sumRows, the RMS-norm gain gradient): a task takes whole strips, each summed
// through every row in row order, so the sums do not depend on the thread count, and the
// vector lanes hold a strip's 64 sums in registers.
const stripCols = 64

// stripColumns is the column range [c0, c1) of the strips [lo, hi) of a row of cols.
func stripColumns(lo, hi, cols int) (c0, c1 int) { return lo * stripCols, min(hi*stripCols, cols) }

// ceilDiv is ⌈a/b⌉ for positive b.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// scratchOf returns n values of T from w's scratch with undefined contents, apart from its
// Float64s and Float32s, for tasks that need both.
func scratchOf[T Float](w *pool.Worker, n int) []T {
	buf := pool.Slot[[]T](w)
	*buf = pool.Grow(*buf, n)
	return *buf
}
