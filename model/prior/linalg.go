package prior

import (
	"fmt"
	"math"
)

// cholesky factors the symmetric positive-definite a: [d·d] (row-major) into its
// lower-triangular c: [d·d] with ccᵀ = a.
func cholesky(c, a []float64, d int) error {
	clear(c)
	for i := range d {
		for j := 0; j <= i; j++ {
			s := a[i*d+j]
			for k := range j {
				s -= c[i*d+k] * c[j*d+k]
			}
			if i == j {
				if !(s > 0) {
					return fmt.Errorf("prior: covariance not positive definite (pivot %d is %g)", i, s)
				}
				c[i*d+i] = math.Sqrt(s)
			} else {
				c[i*d+j] = s / c[j*d+j]
			}
		}
	}
	return nil
}

// logDensity is log N(x | mean, ccᵀ) for the lower-triangular factor c: [d·d]; work: [d].
func logDensity(x, mean, c, work []float64, d int) float64 {
	// Solve c·y = x − mean by forward substitution; the quadratic form is |y|².
	q, logDet := 0.0, 0.0
	for i := range d {
		s := x[i] - mean[i]
		for k := range i {
			s -= c[i*d+k] * work[k]
		}
		work[i] = s / c[i*d+i]
		q += work[i] * work[i]
		logDet += math.Log(c[i*d+i])
	}
	return -0.5*(float64(d)*math.Log(2*math.Pi)+q) - logDet
}
