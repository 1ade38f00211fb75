package cpu

// Row primitives of the norms, adaLN, axpby, the bias and gain sums and the softmax. Each
// generic form sends float32 rows to the build's float32 kernel (vector lanes under
// GOEXPERIMENT=simd, row_ops_simd.go) and computes anything else one element at a time.
// Sums accumulate in float64 in both, so the two differ only in the order of the additions.

// weightedDot is Σ a[i]·b[i]·w[i] in float64, with w[i] = 1 when w is nil. a, b, w: [n].
func weightedDot[T Float](a, b, w []T) float64 {
	if a32, ok := any(a).([]float32); ok {
		return weightedDot32(a32, any(b).([]float32), any(w).([]float32))
	}
	return weightedDotScalar(a, b, w)
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
	if y32, ok := any(y).([]float32); ok {
		mulAffine32(y32, any(x).([]float32), any(g).([]float32), s, k)
		return
	}
	mulAffineScalar(y, x, g, s, k)
}

func mulAffineScalar[T Float](y, x, g []T, s, k float64) {
	for i, v := range x {
		y[i] = T(float64(v) * (s*gainAt(g, i) + k))
	}
}

// axpbyRow sets y[i] = alpha·x[i] + beta·y[i] at T's precision. y, x: [n].
func axpbyRow[T Float](y, x []T, alpha, beta T) {
	if y32, ok := any(y).([]float32); ok {
		axpby32(y32, any(x).([]float32), float32(alpha), float32(beta))
		return
	}
	axpbyScalar(y, x, alpha, beta)
}

func axpbyScalar[T Float](y, x []T, alpha, beta T) {
	for i := range y {
		y[i] = alpha*x[i] + beta*y[i]
	}
}

// normBackwardRow sets dx[i] = s·g[i]·dy[i] − k·x[i] (g[i] = 1 when g is nil), computed
// in float64. dx, dy, x, g: [n].
func normBackwardRow[T Float](dx, dy, x, g []T, s, k float64) {
	if dx32, ok := any(dx).([]float32); ok {
		normBackwardRow32(dx32, any(dy).([]float32), any(x).([]float32), any(g).([]float32), s, k)
		return
	}
	normBackwardRowScalar(dx, dy, x, g, s, k)
}

func normBackwardRowScalar[T Float](dx, dy, x, g []T, s, k float64) {
	for i, v := range x {
		dx[i] = T(s*gainAt(g, i)*float64(dy[i]) - k*float64(v))
	}
}

// accumulate adds acc[i] += a[i]·b[i]·s (b[i] = 1 when b is nil). acc, a, b: [n].
func accumulate[T Float](acc []float64, a, b []T, s float64) {
	if a32, ok := any(a).([]float32); ok {
		accumulate32(acc, a32, any(b).([]float32), s)
		return
	}
	accumulateScalar(acc, a, b, s)
}

func accumulateScalar[T Float](acc []float64, a, b []T, s float64) {
	for i, v := range a {
		acc[i] += float64(v) * gainAt(b, i) * s
	}
}

// columnSums adds to acc the column sums of a strip of rows:
// acc[c] += Σ_r a[r·stride+c]·b[r·stride+c]·scale[r], with b[…] = 1 when b is nil and
// scale[r] = 1 when scale is nil, each column summed in float64 in row order (as accumulate
// row by row, to the bit). acc: [w]; a, b: rows rows of stride elements from the strip's
// first column; scale: [rows] or nil.
func columnSums[T Float](acc []float64, a, b, scale []T, rows, stride int) {
	if a32, ok := any(a).([]float32); ok {
		columnSums32(acc, a32, any(b).([]float32), any(scale).([]float32), rows, stride)
		return
	}
	columnSumsScalar(acc, a, b, scale, rows, stride)
}

func columnSumsScalar[T Float](acc []float64, a, b, scale []T, rows, stride int) {
	w := len(acc)
	for r := range rows {
		var rb []T
		if b != nil {
			rb = b[r*stride:][:w]
		}
		accumulate(acc, a[r*stride:][:w], rb, gainAt(scale, r))
	}
}

// maxOfScalar is the largest of m and the elements of row, NaN if any is NaN. row: [n].
func maxOfScalar(row []float32, m float32) float32 {
	for _, v := range row {
		m = max(m, v)
	}
	return m
}

// scaleRowScalar multiplies row by s in float32. row: [n].
func scaleRowScalar(row []float32, s float32) {
	for i := range row {
		row[i] *= s
	}
}

// stripCols is the width of the column strips of the sums over rows that run in parallel
// over columns (sumRows, the RMS-norm gain gradient): a task takes whole strips, each summed
// through every row in row order, so the sums do not depend on the thread count, and
// columnSums32 holds a strip's 64 sums in registers.
const stripCols = 64

// stripColumns is the column range [c0, c1) of the strips [lo, hi) of a row of cols.
func stripColumns(lo, hi, cols int) (c0, c1 int) { return lo * stripCols, min(hi*stripCols, cols) }
