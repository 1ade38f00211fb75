package quality

import "math"

// jacobiSweeps bounds the cyclic Jacobi sweeps; convergence is quadratic, and 128×128
// covariances settle in under 15.
const jacobiSweeps = 60

// EigenSym diagonalises the symmetric n×n matrix a (row-major, [n·n], left unchanged) by
// cyclic Jacobi rotations in float64. It returns the eigenvalues (unsorted) and the
// eigenvectors as the columns of vecs: [n·n] row-major, a·vecs[:, j] = values[j]·vecs[:, j].
func EigenSym(a []float64, n int) (values, vecs []float64) {
	m := append([]float64(nil), a...)
	vecs = make([]float64, n*n)
	for i := range n {
		vecs[i*n+i] = 1
	}
	for range jacobiSweeps {
		if offDiagonal(m, n) <= 1e-26*diagonal(m, n) {
			break
		}
		for p := range n - 1 {
			for q := p + 1; q < n; q++ {
				rotate(m, vecs, n, p, q)
			}
		}
	}
	values = make([]float64, n)
	for i := range n {
		values[i] = m[i*n+i]
	}
	return values, vecs
}

// offDiagonal is the sum of squares of the off-diagonal entries of m: [n·n].
func offDiagonal(m []float64, n int) float64 {
	s := 0.0
	for i := range n {
		for j := range n {
			if i != j {
				s += m[i*n+j] * m[i*n+j]
			}
		}
	}
	return s
}

// diagonal is the sum of squares of the diagonal entries of m: [n·n].
func diagonal(m []float64, n int) float64 {
	s := 0.0
	for i := range n {
		s += m[i*n+i] * m[i*n+i]
	}
	return s
}

// rotate applies the Jacobi rotation that zeroes m[p,q] (and m[q,p]): m ← Jᵀ·m·J, and
// accumulates vecs ← vecs·J. m, vecs: [n·n].
func rotate(m, vecs []float64, n, p, q int) {
	apq := m[p*n+q]
	if apq == 0 {
		return
	}
	theta := (m[q*n+q] - m[p*n+p]) / (2 * apq)
	t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
	c := 1 / math.Sqrt(t*t+1)
	s := t * c
	for k := range n { // columns p and q
		mkp, mkq := m[k*n+p], m[k*n+q]
		m[k*n+p], m[k*n+q] = c*mkp-s*mkq, s*mkp+c*mkq
	}
	for k := range n { // rows p and q
		mpk, mqk := m[p*n+k], m[q*n+k]
		m[p*n+k], m[q*n+k] = c*mpk-s*mqk, s*mpk+c*mqk
	}
	for k := range n {
		vkp, vkq := vecs[k*n+p], vecs[k*n+q]
		vecs[k*n+p], vecs[k*n+q] = c*vkp-s*vkq, s*vkp+c*vkq
	}
}

// SqrtPSD is the symmetric square root of the positive semi-definite n×n matrix a
// (row-major, [n·n]): V·diag(sqrt(max(λ, 0)))·Vᵀ. Eigenvalues that round-off made slightly
// negative count as 0.
func SqrtPSD(a []float64, n int) []float64 {
	values, vecs := EigenSym(a, n)
	out := make([]float64, n*n)
	for k, l := range values {
		r := math.Sqrt(max(l, 0))
		if r == 0 {
			continue
		}
		for i := range n {
			vi := vecs[i*n+k] * r
			for j := range n {
				out[i*n+j] += vi * vecs[j*n+k]
			}
		}
	}
	return out
}
