package prior

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Mixture is a Gaussian mixture over R^Dim with full covariances, each held as its
// lower-triangular Cholesky factor.
type Mixture struct {
	Dim     int
	Weights []float64   // [K] mixing weights, positive, summing to 1
	Means   [][]float64 // [K][Dim]
	Chols   [][]float64 // [K][Dim·Dim] row-major lower-triangular C with CCᵀ = Σ, positive diagonal
}

// Components is the number of mixture components K.
func (m *Mixture) Components() int { return len(m.Weights) }

// Validate says what is wrong with m, if anything: a mixture read from a file must pass it
// before it is sampled.
func (m *Mixture) Validate() error {
	k, d := len(m.Weights), m.Dim
	if k == 0 || d <= 0 || len(m.Means) != k || len(m.Chols) != k {
		return fmt.Errorf("prior: %d weights, %d means and %d factors of dimension %d", k, len(m.Means), len(m.Chols), d)
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
		for _, v := range m.Means[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("prior: component %d has a non-finite mean", i)
			}
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

// Sample writes one draw into dst: [Dim]: a component chosen by weight, then its mean plus
// temperature times its factor applied to a standard normal vector. A temperature below 1
// draws closer to the means (fewer, cleaner images); 1 is the fitted density.
func (m *Mixture) Sample(dst []float32, rng *rand.Rand, temperature float64) {
	d := m.Dim
	u, k := rng.Float64(), 0
	for ; k < len(m.Weights)-1; k++ {
		if u -= m.Weights[k]; u < 0 {
			break
		}
	}
	z := make([]float64, d)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	mean, c := m.Means[k], m.Chols[k]
	for r := range d {
		s := 0.0
		for col := 0; col <= r; col++ {
			s += c[r*d+col] * z[col]
		}
		dst[r] = float32(mean[r] + temperature*s)
	}
}
