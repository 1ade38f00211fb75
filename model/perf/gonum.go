package perf

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// GonumMatMul prepares gonum's Sgemm (pure Go, with SSE assembly for its inner loops on
// amd64) on s's layout and sizes: the CPU peer that is no backend. Its Wait returns at once.
func GonumMatMul(s MatMulShape) *Workload {
	run, _, _, _ := gonumSgemm(s)
	return &Workload{Run: run, Free: func() {}, FLOPs: s.FLOPs()}
}

// gonumSgemm returns a call of Sgemm computing c = op(a)·op(b) on random operands laid out
// as s.Dims stores them (row-major, transposes by flag), one product after another for a
// batch. a: [items, M, K] or [items, K, M]; b: [items, K, N] or [items, N, K]; c: [items, M, N].
func gonumSgemm(s MatMulShape) (run func(), a, b, c []float32) {
	d := s.Dims
	a, b, c = Random(s.ASize(), 1), Random(s.BSize(), 2), make([]float32, s.OutSize())
	ta, lda, tb, ldb := blas.NoTrans, d.K, blas.NoTrans, d.N
	if d.TransA {
		ta, lda = blas.Trans, d.M
	}
	if d.TransB {
		tb, ldb = blas.Trans, d.K
	}
	run = func() {
		for i := range s.items() {
			gonum.Implementation{}.Sgemm(ta, tb, d.M, d.N, d.K, 1, a[i*d.M*d.K:], lda, b[i*d.K*d.N:], ldb, 0, c[i*d.M*d.N:], d.N)
		}
	}
	return run, a, b, c
}
