package quality

import (
	"fmt"
	"math"
)

// Stats are the mean and covariance of a set of feature vectors: the Gaussian that the
// Fréchet distance compares.
type Stats struct {
	Dim  int       // feature width d
	N    int       // vectors summarised
	Mean []float64 // [d]
	Cov  []float64 // [d·d] row-major, the unbiased (n−1) estimate
}

// NewStats summarises rows: [n][d] feature vectors. It needs at least two.
func NewStats(rows [][]float32) (Stats, error) {
	if len(rows) < 2 {
		return Stats{}, fmt.Errorf("quality: a covariance needs at least 2 feature vectors, have %d", len(rows))
	}
	d := len(rows[0])
	s := Stats{Dim: d, N: len(rows), Mean: make([]float64, d), Cov: make([]float64, d*d)}
	for i, r := range rows {
		if len(r) != d {
			return Stats{}, fmt.Errorf("quality: feature vector %d has %d values, want %d", i, len(r), d)
		}
		for j, v := range r {
			s.Mean[j] += float64(v)
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(s.N)
	}
	centred := make([]float64, d)
	for _, r := range rows {
		for j, v := range r {
			centred[j] = float64(v) - s.Mean[j]
		}
		for i, ci := range centred {
			row := s.Cov[i*d : (i+1)*d]
			for j := i; j < d; j++ {
				row[j] += ci * centred[j]
			}
		}
	}
	for i := range d {
		for j := i; j < d; j++ {
			v := s.Cov[i*d+j] / float64(s.N-1)
			s.Cov[i*d+j], s.Cov[j*d+i] = v, v
		}
	}
	return s, nil
}

// Frechet is the Fréchet distance between the Gaussians a and b:
//
//	|μa − μb|² + tr(Ca) + tr(Cb) − 2·tr(sqrt(sqrt(Ca)·Cb·sqrt(Ca)))
//
// The last trace is the sum of the square roots of the eigenvalues of the symmetric PSD
// matrix sqrt(Ca)·Cb·sqrt(Ca), which equals tr(sqrt(Ca·Cb)) without needing the square
// root of a non-symmetric matrix. Round-off can make a tiny result negative; it is
// clamped at 0.
func Frechet(a, b Stats) (float64, error) {
	if a.Dim != b.Dim {
		return 0, fmt.Errorf("quality: Fréchet distance between %d- and %d-dimensional features", a.Dim, b.Dim)
	}
	d := a.Dim
	dist := 0.0
	for i := range d {
		diff := a.Mean[i] - b.Mean[i]
		dist += diff*diff + a.Cov[i*d+i] + b.Cov[i*d+i]
	}
	sa := SqrtPSD(a.Cov, d)
	m := mul(mul(sa, b.Cov, d), sa, d)
	for i := range d { // symmetrise away round-off
		for j := i + 1; j < d; j++ {
			v := (m[i*d+j] + m[j*d+i]) / 2
			m[i*d+j], m[j*d+i] = v, v
		}
	}
	values, _ := EigenSym(m, d)
	for _, l := range values {
		dist -= 2 * math.Sqrt(max(l, 0))
	}
	return max(dist, 0), nil
}

// mul is the product of the n×n row-major matrices x and y.
func mul(x, y []float64, n int) []float64 {
	out := make([]float64, n*n)
	for i := range n {
		for k := range n {
			xik := x[i*n+k]
			if xik == 0 {
				continue
			}
			for j := range n {
				out[i*n+j] += xik * y[k*n+j]
			}
		}
	}
	return out
}
