package cpu

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"flowsphere/model/tensor"
)

// matmulLens returns the element counts of a, b and out that d addresses.
func matmulLens(d tensor.MatMulDims) (na, nb, nout int) {
	last := max(d.Batch, 1) - 1
	return last*d.StrideA + d.M*d.K, last*d.StrideB + d.K*d.N, last*d.StrideOut + d.M*d.N
}

// TestMatMulForward checks every transpose, accumulate, bias and batch stride combination
// against the textbook formula out[b,i,j] (+)= Σ_k op(a)[b,i,k]·op(b)[b,k,j] + bias[j].
func TestMatMulForward(t *testing.T) {
	for _, d := range []tensor.MatMulDims{
		{M: 3, N: 4, K: 5},
		{M: 3, N: 4, K: 5, TransA: true},
		{M: 3, N: 4, K: 5, TransB: true, Accumulate: true},
		{M: 1, N: 1, K: 7, TransA: true, TransB: true},
		{M: 2, N: 3, K: 4, TransB: true, Batch: 3, StrideA: 8, StrideB: 0, StrideOut: 7},
		{M: 2, N: 3, K: 4, TransA: true, Accumulate: true, Batch: 2, StrideA: 0, StrideB: 12, StrideOut: 6},
	} {
		for _, withBias := range []bool{false, true} {
			t.Run(fmt.Sprintf("%+v/bias=%v", d, withBias), func(t *testing.T) {
				rng := newRand(uint64(d.M*100 + d.N*10 + d.K))
				na, nb, nout := matmulLens(d)
				a, b := randn(rng, na, 1), randn(rng, nb, 1)
				var bias []float64
				if withBias {
					bias = randn(rng, d.N, 1)
				}
				prior := randn(rng, nout, 1)
				out := slices.Clone(prior)
				matmul(out, a, b, bias, d)
				for item := range max(d.Batch, 1) {
					for i := range d.M {
						for j := range d.N {
							want := 0.0
							for k := range d.K {
								ai, bi := i*d.K+k, k*d.N+j
								if d.TransA {
									ai = k*d.M + i
								}
								if d.TransB {
									bi = j*d.K + k
								}
								want += a[item*d.StrideA+ai] * b[item*d.StrideB+bi]
							}
							if bias != nil {
								want += bias[j]
							}
							o := item*d.StrideOut + i*d.N + j
							if d.Accumulate {
								want += prior[o]
							}
							if math.Abs(out[o]-want) > 1e-12 {
								t.Fatalf("out[%d,%d,%d] = %.15g, want %.15g", item, i, j, out[o], want)
							}
						}
					}
				}
			})
		}
	}
}

// TestLinearGrad checks the backward of y = x·wᵀ + bias as the library computes it:
// dx = dy·w, dw += dyᵀ·x, dbias += SumRows(dy). x: [m, k]; w: [n, k]; bias: [n]; y: [m, n].
func TestLinearGrad(t *testing.T) {
	for _, s := range []struct{ m, n, k int }{{1, 1, 1}, {3, 4, 5}, {7, 2, 3}, {5, 6, 1}, {1, 9, 4}} {
		t.Run(fmt.Sprintf("%dx%dx%d", s.m, s.n, s.k), func(t *testing.T) {
			rng := newRand(uint64(s.m*100 + s.n*10 + s.k))
			x, w, bias := randn(rng, s.m*s.k, 1), randn(rng, s.n*s.k, 1), randn(rng, s.n, 1)
			dy := randn(rng, s.m*s.n, 1)
			y := make([]float64, s.m*s.n)
			loss := func() float64 {
				matmul(y, x, w, bias, tensor.MatMulDims{M: s.m, N: s.n, K: s.k, TransB: true})
				return dot(dy, y)
			}
			dx := make([]float64, s.m*s.k)
			matmul(dx, dy, w, nil, tensor.MatMulDims{M: s.m, N: s.k, K: s.n})
			// dw and dbias accumulate onto earlier gradients, as in a model with shared weights.
			dwPrior, dbPrior := randn(rng, s.n*s.k, 1), randn(rng, s.n, 1)
			dw, db := slices.Clone(dwPrior), slices.Clone(dbPrior)
			matmul(dw, dy, x, nil, tensor.MatMulDims{M: s.n, N: s.k, K: s.m, TransA: true, Accumulate: true})
			sumRows(db, dy, s.m, s.n)
			gradCheck(t, loss, [][]float64{x, w, bias}, [][]float64{dx, minus(dw, dwPrior), minus(db, dbPrior)}, 1e-7)
		})
	}
}

// minus returns a − b elementwise.
func minus(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// TestBatchedMatMulGrad checks the backward of batched y[t] = a[t]·b[t] where one operand
// may be shared by every item (stride 0): the shared operand's gradient sums the items'
// gradients (accumulating Batch-1 products), the other one is one batched product with the
// shared operand broadcast. a: [m, k]; b: [k, n]; y: [m, n] per item.
func TestBatchedMatMulGrad(t *testing.T) {
	for _, s := range []struct {
		m, n, k, batch   int
		sharedA, sharedB bool
	}{
		{2, 3, 4, 3, false, false},
		{2, 3, 4, 3, false, true},
		{3, 2, 5, 4, true, false},
		{1, 1, 1, 2, false, true},
	} {
		t.Run(fmt.Sprintf("%+v", s), func(t *testing.T) {
			rng := newRand(uint64(s.m*1000 + s.n*100 + s.k*10 + s.batch))
			d := tensor.MatMulDims{M: s.m, N: s.n, K: s.k, Batch: s.batch, StrideA: s.m * s.k, StrideB: s.k * s.n, StrideOut: s.m * s.n}
			if s.sharedA {
				d.StrideA = 0
			}
			if s.sharedB {
				d.StrideB = 0
			}
			na, nb, nout := matmulLens(d)
			a, b, dy := randn(rng, na, 1), randn(rng, nb, 1), randn(rng, nout, 1)
			y := make([]float64, nout)
			loss := func() float64 { matmul(y, a, b, nil, d); return dot(dy, y) }
			da, db := make([]float64, na), make([]float64, nb)
			if s.sharedA {
				for item := range s.batch {
					matmul(da, dy[item*d.StrideOut:], b[item*d.StrideB:], nil, tensor.MatMulDims{M: s.m, N: s.k, K: s.n, TransB: true, Accumulate: true})
				}
			} else {
				matmul(da, dy, b, nil, tensor.MatMulDims{M: s.m, N: s.k, K: s.n, TransB: true,
					Batch: s.batch, StrideA: d.StrideOut, StrideB: d.StrideB, StrideOut: d.StrideA})
			}
			if s.sharedB {
				for item := range s.batch {
					matmul(db, a[item*d.StrideA:], dy[item*d.StrideOut:], nil, tensor.MatMulDims{M: s.k, N: s.n, K: s.m, TransA: true, Accumulate: true})
				}
			} else {
				matmul(db, a, dy, nil, tensor.MatMulDims{M: s.k, N: s.n, K: s.m, TransA: true,
					Batch: s.batch, StrideA: d.StrideA, StrideB: d.StrideOut, StrideOut: d.StrideB})
			}
			gradCheck(t, loss, [][]float64{a, b}, [][]float64{da, db}, 1e-7)
		})
	}
}

// TestTranspose checks the forward against out[b,c,r] = in[b,r,c], that transposing twice
// gives the input back, and the backward (Transpose with rows and cols swapped) by finite
// differences.
func TestTranspose(t *testing.T) {
	for _, s := range []struct{ batch, rows, cols int }{{1, 1, 1}, {1, 1, 7}, {1, 6, 1}, {2, 3, 5}, {3, 17, 4}} {
		t.Run(fmt.Sprintf("%dx%dx%d", s.batch, s.rows, s.cols), func(t *testing.T) {
			rng := newRand(uint64(s.batch*100 + s.rows*10 + s.cols))
			n := s.batch * s.rows * s.cols
			x, dy := randn(rng, n, 1), randn(rng, n, 1)
			y := make([]float64, n)
			transpose(y, x, s.batch, s.rows, s.cols)
			for b := range s.batch {
				for r := range s.rows {
					for c := range s.cols {
						if got, want := y[(b*s.cols+c)*s.rows+r], x[(b*s.rows+r)*s.cols+c]; got != want {
							t.Fatalf("out[%d,%d,%d] = %g, want %g", b, c, r, got, want)
						}
					}
				}
			}
			back := make([]float64, n)
			transpose(back, y, s.batch, s.cols, s.rows)
			if !slices.Equal(back, x) {
				t.Fatal("transposing twice did not give the input back")
			}
			loss := func() float64 { transpose(y, x, s.batch, s.rows, s.cols); return dot(dy, y) }
			dx := make([]float64, n)
			transpose(dx, dy, s.batch, s.cols, s.rows)
			gradCheck(t, loss, [][]float64{x}, [][]float64{dx}, 1e-7)
		})
	}
}
