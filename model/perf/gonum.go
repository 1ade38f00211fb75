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
// as s.Dims stores them (row-major, transposes by flag). a: [M, K] or [K, M]; b: [K, N] or
// [N, K]; c: [M, N].
func gonumSgemm(s MatMulShape) (run func(), a, b, c []float32) {
	d := s.Dims
	a, b, c = Random(s.ASize(), 1), Random(s.BSize(), 2), make([]float32, d.M*d.N)
	ta, lda, tb, ldb := blas.NoTrans, d.K, blas.NoTrans, d.N
	if d.TransA {
		ta, lda = blas.Trans, d.M
	}
	if d.TransB {
		tb, ldb = blas.Trans, d.K
	}
	run = func() { gonum.Implementation{}.Sgemm(ta, tb, d.M, d.N, d.K, 1, a, lda, b, ldb, 0, c, d.N) }
	return run, a, b, c
}
