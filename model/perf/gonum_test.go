package perf

import "testing"

// TestGonumLayouts checks that the Sgemm call of each layout computes what MatMulDims says,
// on a small shape against a direct sum.
func TestGonumLayouts(t *testing.T) {
	for _, s := range MatMulShapes()[:3] {
		s.Dims.M, s.Dims.N, s.Dims.K = 3, 4, 5
		d := s.Dims
		run, a, b, c := gonumSgemm(s)
		run()
		for i := range d.M {
			for j := range d.N {
				var want float64
				for k := range d.K {
					av, bv := a[i*d.K+k], b[k*d.N+j]
					if d.TransA {
						av = a[k*d.M+i]
					}
					if d.TransB {
						bv = b[j*d.K+k]
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
