package main

import (
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"flowsphere/model/perf"
)

// BenchmarkSgemm is gonum's Sgemm on the same shapes as perf.MatMulShapes, the CPU peer.
func BenchmarkSgemm(b *testing.B) {
	for _, s := range perf.MatMulShapes() {
		b.Run(s.Name(), func(b *testing.B) {
			f := gonumSgemm(s)
			for range b.N {
				f()
			}
			b.ReportMetric(s.FLOPs()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// TestGonumLayouts checks that the Sgemm call for each layout computes what MatMulDims says,
// on a small shape against a direct sum.
func TestGonumLayouts(t *testing.T) {
	for _, s := range perf.MatMulShapes()[:3] {
		d := s.Dims
		d.M, d.N, d.K = 3, 4, 5
		a, bm, c := perf.Random(d.M*d.K, 1), perf.Random(d.K*d.N, 2), make([]float32, d.M*d.N)
		ta, lda, tb, ldb := blas.NoTrans, d.K, blas.NoTrans, d.N
		if d.TransA {
			ta, lda = blas.Trans, d.M
		}
		if d.TransB {
			tb, ldb = blas.Trans, d.K
		}
		gonum.Implementation{}.Sgemm(ta, tb, d.M, d.N, d.K, 1, a, lda, bm, ldb, 0, c, d.N)
		for i := range d.M {
			for j := range d.N {
				var want float64
				for k := range d.K {
					av, bv := a[i*d.K+k], bm[k*d.N+j]
					if d.TransA {
						av = a[k*d.M+i]
					}
					if d.TransB {
						bv = bm[j*d.K+k]
					}
					want += float64(av) * float64(bv)
				}
				if diff := float64(c[i*d.N+j]) - want; diff > 1e-4 || diff < -1e-4 {
					t.Fatalf("%s: c[%d,%d] = %g, want %g", s.Layout, i, j, c[i*d.N+j], want)
				}
			}
		}
	}
}
