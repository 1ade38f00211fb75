package cpu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// lossShapes are the rows×cols the loss tests run on: a single element, a single row and
// a few rows.
var lossShapes = []struct{ rows, cols int }{{1, 1}, {1, 7}, {3, 5}, {4, 16}}

// huberPoints returns n differences whose magnitudes lie in [0, 0.8·beta] or [1.2·beta,
// 3·beta] in turn, with random signs: both branches of the Huber, away from the kink where
// central differences are not valid.
func huberPoints(rng *rand.Rand, n int, beta float64) []float64 {
	d := make([]float64, n)
	for i := range d {
		m := beta * (0.8 * rng.Float64())
		if i%2 == 1 {
			m = beta * (1.2 + 1.8*rng.Float64())
		}
		if rng.IntN(2) == 0 {
			m = -m
		}
		d[i] = m
	}
	return d
}

// lossTotal is Σ_r loss[r], the scalar whose gradient (times gradScale) the kernels write.
func lossTotal(loss []float64) float64 {
	s := 0.0
	for _, v := range loss {
		s += v
	}
	return s
}

// TestLossGrad checks dPred (and dA, dB) of every loss against central differences of
// gradScale·Σ_r loss[r].
func TestLossGrad(t *testing.T) {
	const gradScale = 0.7
	for _, s := range lossShapes {
		n := s.rows * s.cols
		t.Run(fmt.Sprintf("smoothl1/%dx%d", s.rows, s.cols), func(t *testing.T) {
			rng := newRand(uint64(n))
			const beta = 0.5
			pred := randn(rng, n, 1)
			target := huberPoints(rng, n, beta)
			for i := range target {
				target[i] = pred[i] - target[i]
			}
			loss, dPred := make([]float64, s.rows), make([]float64, n)
			smoothL1(loss, dPred, pred, target, s.rows, s.cols, beta, gradScale)
			f := func() float64 {
				l, d := make([]float64, s.rows), make([]float64, n)
				smoothL1(l, d, pred, target, s.rows, s.cols, beta, gradScale)
				return gradScale * lossTotal(l)
			}
			gradCheck(t, f, [][]float64{pred}, [][]float64{dPred}, 1e-6)
		})
		for _, weighted := range []bool{false, true} {
			t.Run(fmt.Sprintf("mse/%dx%d/weighted=%v", s.rows, s.cols, weighted), func(t *testing.T) {
				rng := newRand(uint64(n) + 100)
				pred, target := randn(rng, n, 1), randn(rng, n, 1)
				var weight []float64
				if weighted {
					weight = randn(rng, s.rows, 1)
				}
				loss, dPred := make([]float64, s.rows), make([]float64, n)
				mse(loss, dPred, pred, target, weight, s.rows, s.cols, gradScale)
				f := func() float64 {
					l, d := make([]float64, s.rows), make([]float64, n)
					mse(l, d, pred, target, weight, s.rows, s.cols, gradScale)
					return gradScale * lossTotal(l)
				}
				gradCheck(t, f, [][]float64{pred}, [][]float64{dPred}, 1e-6)
			})
		}
		t.Run(fmt.Sprintf("cosine/%dx%d", s.rows, s.cols), func(t *testing.T) {
			rng := newRand(uint64(n) + 200)
			a, b := randn(rng, n, 1), randn(rng, n, 2)
			loss, dA, dB := make([]float64, s.rows), make([]float64, n), make([]float64, n)
			cosine(loss, dA, dB, a, b, s.rows, s.cols, gradScale)
			f := func() float64 {
				l, da, db := make([]float64, s.rows), make([]float64, n), make([]float64, n)
				cosine(l, da, db, a, b, s.rows, s.cols, gradScale)
				return gradScale * lossTotal(l)
			}
			gradCheck(t, f, [][]float64{a, b}, [][]float64{dA, dB}, 1e-6)
			// Without dB the call must leave dA as it was.
			dA2 := make([]float64, n)
			cosine(loss, dA2, nil, a, b, s.rows, s.cols, gradScale)
			for i := range dA {
				if dA2[i] != dA[i] {
					t.Fatalf("dA[%d] = %g without dB, %g with", i, dA2[i], dA[i])
				}
			}
		})
	}
}

// TestLossForward checks the per-row losses against the textbook formulas.
func TestLossForward(t *testing.T) {
	const rows, cols, beta = 3, 11, 0.5
	rng := newRand(7)
	pred, target, weight := randn(rng, rows*cols, 1), randn(rng, rows*cols, 1), randn(rng, rows, 1)
	tests := []struct {
		name string
		run  func(loss []float64)
		want func(p, q []float64, r int) float64 // the loss of row r with p, q its slices
	}{
		{"smoothl1", func(loss []float64) {
			smoothL1(loss, make([]float64, rows*cols), pred, target, rows, cols, beta, 1)
		}, func(p, q []float64, _ int) float64 {
			s := 0.0
			for c := range p {
				if d := math.Abs(p[c] - q[c]); d < beta {
					s += d * d / (2 * beta)
				} else {
					s += d - beta/2
				}
			}
			return s
		}},
		{"mse", func(loss []float64) {
			mse(loss, make([]float64, rows*cols), pred, target, weight, rows, cols, 1)
		}, func(p, q []float64, r int) float64 {
			s := 0.0
			for c := range p {
				s += (p[c] - q[c]) * (p[c] - q[c])
			}
			return weight[r] * s
		}},
		{"cosine", func(loss []float64) {
			cosine(loss, make([]float64, rows*cols), nil, pred, target, rows, cols, 1)
		}, func(p, q []float64, _ int) float64 {
			return 1 - dot(p, q)/math.Sqrt(dot(p, p)*dot(q, q))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loss := make([]float64, rows)
			tc.run(loss)
			for r := range rows {
				want := tc.want(pred[r*cols:(r+1)*cols], target[r*cols:(r+1)*cols], r)
				if math.Abs(loss[r]-want) > 1e-12*math.Max(1, math.Abs(want)) {
					t.Errorf("loss[%d] = %.15g, want %.15g", r, loss[r], want)
				}
			}
		})
	}
}

// TestCosineZeroRow checks the eps guard: a zero row has loss 1, dA = −gradScale·b/(eps·|b|)
// and dB = 0, all finite.
func TestCosineZeroRow(t *testing.T) {
	a, b := []float64{0, 0, 0}, []float64{3, 0, -4}
	loss, dA, dB := make([]float64, 1), make([]float64, 3), make([]float64, 3)
	cosine(loss, dA, dB, a, b, 1, 3, 2)
	if loss[0] != 1 {
		t.Errorf("loss = %g, want 1", loss[0])
	}
	for c := range b {
		want := -2 * b[c] / (cosineEps * 5)
		if math.Abs(dA[c]-want) > 1e-9*math.Abs(want) || dB[c] != 0 {
			t.Errorf("dA[%d], dB[%d] = %g, %g; want %g, 0", c, c, dA[c], dB[c], want)
		}
	}
}
