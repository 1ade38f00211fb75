package main

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"flowsphere/model/perf"
)

// gonumSgemm prepares gonum's pure-Go Sgemm on the same layout and sizes as s.
func gonumSgemm(s perf.MatMulShape) func() {
	d := s.Dims
	a, b, c := perf.Random(s.ASize(), 1), perf.Random(s.BSize(), 2), make([]float32, d.M*d.N)
	ta, lda := blas.NoTrans, d.K
	if d.TransA {
		ta, lda = blas.Trans, d.M
	}
	tb, ldb := blas.NoTrans, d.N
	if d.TransB {
		tb, ldb = blas.Trans, d.K
	}
	return func() { gonum.Implementation{}.Sgemm(ta, tb, d.M, d.N, d.K, 1, a, lda, b, ldb, 0, c, d.N) }
}
