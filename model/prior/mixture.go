package prior

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Mixture is a density over R^Dim: a Gaussian mixture with full covariances (each held as
// its lower-triangular Cholesky factor) in the Rank-dimensional span of Basis around Center,
// the data's principal directions, plus isotropic noise of standard deviation Residual in
// the directions the basis leaves out. A large latent (hundreds of values) then costs Rank²
// per component instead of Dim², in the file and in the fit.
type Mixture struct {
	Dim, Rank int
	Center    []float64   // [Dim]
	Basis     []float64   // [Dim·Rank] row-major, orthonormal columns
	Residual  float64     // ≥ 0
	Weights   []float64   // [K] mixing weights, positive, summing to 1
	Means     [][]float64 // [K][Rank] in basis coordinates
	Chols     [][]float64 // [K][Rank·Rank] row-major lower-triangular C with CCᵀ = Σ, positive diagonal
}

// Components is the number of mixture components K.
func (m *Mixture) Components() int { return len(m.Weights) }

// Validate says what is wrong with m, if anything: a mixture read from a file must pass it
// before it is sampled.
func (m *Mixture) Validate() error {
	k, d := len(m.Weights), m.Rank
	if k == 0 || d <= 0 || d > m.Dim || len(m.Means) != k || len(m.Chols) != k {
		return fmt.Errorf("prior: %d weights, %d means and %d factors of rank %d in dimension %d", k, len(m.Means), len(m.Chols), d, m.Dim)
	}
	if len(m.Center) != m.Dim || len(m.Basis) != m.Dim*d {
		return fmt.Errorf("prior: a centre of %d and a basis of %d values, want %d and %d", len(m.Center), len(m.Basis), m.Dim, m.Dim*d)
	}
	if !finite(m.Center) || !finite(m.Basis) || !(m.Residual >= 0) || math.IsInf(m.Residual, 0) {
		return fmt.Errorf("prior: a non-finite centre or basis, or residual %g", m.Residual)
	}
	for c := range d { // orthonormal up to F16 rounding
		norm := 0.0
		for r := range m.Dim {
			norm += m.Basis[r*d+c] * m.Basis[r*d+c]
		}
		if math.Abs(norm-1) > 0.05 {
			return fmt.Errorf("prior: basis column %d has norm² %g, not 1", c, norm)
		}
	}
	sum := 0.0
	for i, w := range m.Weights {
		if !(w > 0) || math.IsInf(w, 0) {
			return fmt.Errorf("prior: component %d has weight %g", i, w)
		}
		sum += w
	}
	if math.Abs(sum-1) > 1e-3 {
		return fmt.Errorf("prior: weights sum to %g, not 1", sum)
	}
	for i := range k {
		if len(m.Means[i]) != d || len(m.Chols[i]) != d*d {
			return fmt.Errorf("prior: component %d has a mean of %d and a factor of %d values, want %d and %d", i, len(m.Means[i]), len(m.Chols[i]), d, d*d)
		}
		if !finite(m.Means[i]) {
			return fmt.Errorf("prior: component %d has a non-finite mean", i)
		}
		c := m.Chols[i]
		for r := range d {
			for col := range d {
				v := c[r*d+col]
				switch {
				case math.IsNaN(v) || math.IsInf(v, 0):
					return fmt.Errorf("prior: component %d has a non-finite factor", i)
				case col > r && v != 0:
					return fmt.Errorf("prior: component %d's factor is not lower-triangular (row %d, column %d)", i, r, col)
				case col == r && !(v > 0):
					return fmt.Errorf("prior: component %d's factor has diagonal %g at %d", i, v, r)
				}
			}
		}
	}
	return nil
}

// finite reports whether every value of v is finite.
func finite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Sample writes one draw into dst: [Dim]: a component chosen by weight, its mean plus
// temperature times its factor applied to a standard normal vector, mapped out of the basis,
// plus temperature times the residual noise off the basis. A temperature below 1 draws
// closer to the means (fewer, cleaner images); 1 is the fitted density.
func (m *Mixture) Sample(dst []float32, rng *rand.Rand, temperature float64) {
	r := m.Rank
	u, k := rng.Float64(), 0
	for ; k < len(m.Weights)-1; k++ {
		if u -= m.Weights[k]; u < 0 {
			break
		}
	}
	z := make([]float64, r)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	y, mean, c := make([]float64, r), m.Means[k], m.Chols[k]
	for i := range r {
		s := 0.0
		for j := 0; j <= i; j++ {
			s += c[i*r+j] * z[j]
		}
		y[i] = mean[i] + temperature*s
	}
	// The residual: ξ minus its part in the basis, ξ − B(Bᵀξ).
	xi := make([]float64, m.Dim)
	proj := make([]float64, r)
	if m.Residual > 0 {
		for i := range xi {
			xi[i] = rng.NormFloat64()
			for j := range r {
				proj[j] += m.Basis[i*r+j] * xi[i]
			}
		}
	}
	for i := range m.Dim {
		s := m.Center[i]
		row := m.Basis[i*r : (i+1)*r]
		for j, b := range row {
			s += b * (y[j] - temperature*m.Residual*proj[j])
		}
		dst[i] = float32(s + temperature*m.Residual*xi[i])
	}
}
