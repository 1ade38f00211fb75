package quality

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomSym returns a random symmetric n×n matrix; psd makes it X·Xᵀ.
func randomSym(rng *rand.Rand, n int, psd bool) []float64 {
	x := make([]float64, n*n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	a := make([]float64, n*n)
	for i := range n {
		for j := range n {
			if psd {
				for k := range n {
					a[i*n+j] += x[i*n+k] * x[j*n+k]
				}
			} else {
				a[i*n+j] = x[i*n+j] + x[j*n+i]
			}
		}
	}
	return a
}

func TestEigenSym(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 5, 20, 64} {
		a := randomSym(rng, n, false)
		values, vecs := EigenSym(a, n)
		for i := range n {
			for j := range n {
				av, vl, dot := 0.0, vecs[i*n+j]*values[j], 0.0
				for k := range n {
					av += a[i*n+k] * vecs[k*n+j]
					dot += vecs[k*n+i] * vecs[k*n+j]
				}
				if math.Abs(av-vl) > 1e-9*float64(n) {
					t.Fatalf("n=%d: (A·V)[%d,%d] = %g, (V·Λ) = %g", n, i, j, av, vl)
				}
				if want := b2f(i == j); math.Abs(dot-want) > 1e-12*float64(n) {
					t.Fatalf("n=%d: (Vᵀ·V)[%d,%d] = %g, want %g", n, i, j, dot, want)
				}
			}
		}
	}
}

func TestSqrtPSD(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 3, 16} {
		a := randomSym(rng, n, true)
		s := SqrtPSD(a, n)
		ss := mul(s, s, n)
		for i := range a {
			if math.Abs(ss[i]-a[i]) > 1e-9*(1+math.Abs(a[i])) {
				t.Fatalf("n=%d: sqrt(A)² [%d] = %g, want %g", n, i, ss[i], a[i])
			}
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// gaussianStats is a Stats from a mean and a covariance written out.
func gaussianStats(mean, cov []float64) Stats {
	return Stats{Dim: len(mean), N: 100, Mean: mean, Cov: cov}
}

// diag is the n×n diagonal matrix with d on the diagonal.
func diag(d ...float64) []float64 {
	n := len(d)
	m := make([]float64, n*n)
	for i, v := range d {
		m[i*n+i] = v
	}
	return m
}

// rotated is R·m·Rᵀ for the 2×2 rotation R by angle.
func rotated(m []float64, angle float64) []float64 {
	c, s := math.Cos(angle), math.Sin(angle)
	r, rt := []float64{c, -s, s, c}, []float64{c, s, -s, c}
	return mul(mul(r, m, 2), rt, 2)
}

func TestFrechet(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	general := randomSym(rng, 8, true)
	tests := []struct {
		name string
		a, b Stats
		want float64
	}{
		{"identical", gaussianStats(make([]float64, 8), general), gaussianStats(make([]float64, 8), general), 0},
		{"1-D: (μ1−μ2)² + (σ1−σ2)²", gaussianStats([]float64{1}, []float64{4}), gaussianStats([]float64{3}, []float64{9}), 4 + 1},
		{"diagonal: |Δμ|² + Σ(√a−√b)²", gaussianStats([]float64{0, 1, 2}, diag(1, 4, 9)), gaussianStats([]float64{1, 1, 0}, diag(4, 4, 1)),
			1 + 0 + 4 + 1 + 0 + 4},
		{"commuting (same rotation)", gaussianStats([]float64{0, 0}, rotated(diag(1, 16), 0.3)), gaussianStats([]float64{0, 0}, rotated(diag(9, 4), 0.3)),
			4 + 4},
		{"point masses: only the means", gaussianStats([]float64{0, 0}, diag(0, 0)), gaussianStats([]float64{3, 4}, diag(0, 0)), 25},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Frechet(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tc.want) > 1e-9*(1+tc.want) {
				t.Fatalf("FD = %.12g, want %g", got, tc.want)
			}
			back, _ := Frechet(tc.b, tc.a)
			if math.Abs(back-got) > 1e-9*(1+got) {
				t.Fatalf("FD(b, a) = %g, FD(a, b) = %g: not symmetric", back, got)
			}
		})
	}
	if _, err := Frechet(gaussianStats([]float64{0}, []float64{1}), gaussianStats([]float64{0, 0}, diag(1, 1))); err == nil {
		t.Fatal("features of different widths must be an error")
	}
}

func TestNewStats(t *testing.T) {
	tests := []struct {
		name      string
		rows      [][]float32
		mean, cov []float64
		err       bool
	}{
		{"square corners", [][]float32{{0, 0}, {2, 0}, {0, 2}, {2, 2}}, []float64{1, 1}, []float64{4.0 / 3, 0, 0, 4.0 / 3}, false},
		{"on a line", [][]float32{{0, 0}, {1, 2}, {2, 4}}, []float64{1, 2}, []float64{1, 2, 2, 4}, false},
		{"one row", [][]float32{{1, 2}}, nil, nil, true},
		{"ragged", [][]float32{{1, 2}, {3}}, nil, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewStats(tc.rows)
			if tc.err {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.mean {
				if math.Abs(s.Mean[i]-want) > 1e-12 {
					t.Errorf("mean[%d] = %g, want %g", i, s.Mean[i], want)
				}
			}
			for i, want := range tc.cov {
				if math.Abs(s.Cov[i]-want) > 1e-12 {
					t.Errorf("cov[%d] = %g, want %g", i, s.Cov[i], want)
				}
			}
		})
	}
}
