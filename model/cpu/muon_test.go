package cpu

import (
	"math"
	"slices"
	"testing"
)

// TestMuonSteps checks two momentum steps and a parameter step against the updates written
// out by hand, and that a non-finite gradient's flag leaves everything as it was.
func TestMuonSteps(t *testing.T) {
	const mu, lr, decay = 0.9, 0.1, 0.01
	g1, g2 := []float64{0.3, -2, 0.5}, []float64{-0.1, 1, 0}
	scale := []float64{0.5, 1}
	u, buf := make([]float64, 3), make([]float64, 3)
	muonMomentum(u, buf, g1, scale, mu)
	muonMomentum(u, buf, g2, scale, mu)
	p := []float64{1, -1, 2}
	muonApply(p, u, scale, lr, decay)
	for i := range g1 {
		b1 := 0.5 * g1[i]
		b2 := mu*b1 + 0.5*g2[i]
		u2 := 0.5*g2[i] + mu*b2
		p2 := []float64{1, -1, 2}[i]
		p2 = p2 - lr*u2 - decay*p2
		if math.Abs(buf[i]-b2) > 1e-15 || math.Abs(u[i]-u2) > 1e-15 || math.Abs(p[i]-p2) > 1e-15 {
			t.Errorf("element %d: buf %g u %g p %g, want %g %g %g", i, buf[i], u[i], p[i], b2, u2, p2)
		}
	}
	skip := []float64{0, 0}
	u0, b0, p0 := slices.Clone(u), slices.Clone(buf), slices.Clone(p)
	muonMomentum(u, buf, []float64{math.NaN(), 1, 1}, skip, mu)
	muonApply(p, []float64{math.NaN(), 1, 1}, skip, lr, decay)
	if !slices.Equal(u, u0) || !slices.Equal(buf, b0) || !slices.Equal(p, p0) {
		t.Errorf("a skipped step changed u %v→%v, buf %v→%v, p %v→%v", u0, u, b0, buf, p0, p)
	}
}
