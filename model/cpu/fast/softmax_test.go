package cpu

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpRows checks expAffine and sigmoids, whichever variant this build runs, against
// float64 math on rows that mix the vector width, a tail, and the edges: the smallest
// normal float32 results, −Inf, NaN.
func TestExpRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	edges := []float32{0, -1e-30, -0.5, -87.3, -87.4, -103.9, -104.5, -200, float32(math.Inf(-1)), float32(math.NaN())}
	cases := []struct {
		name         string
		n            int
		scale, shift float32
	}{
		{"short", 5, 1, 0},
		{"one vector", 16, 0.125, 0},
		{"vectors and tail", 77, 0.5, 3},
		{"row", 192, 0.17677669, 11},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := make([]float32, c.n)
			for i := range x {
				x[i] = (rng.Float32()*40 - 30) / c.scale
			}
			copy(x, edges[:min(len(edges), c.n)])
			row := append([]float32(nil), x...)
			sum := expAffine(row, c.scale, c.shift)
			wantSum := 0.0
			for i, v := range x {
				arg := float64(v)*float64(c.scale) - float64(c.shift)
				want := math.Exp(arg)
				if !math.IsNaN(want) {
					wantSum += want
				}
				checkClose(t, "exp", arg, row[i], want)
			}
			if !math.IsNaN(float64(sum)) && math.Abs(float64(sum)-wantSum) > 1e-5*wantSum {
				t.Errorf("sum = %g, want %g", sum, wantSum)
			}
			s := make([]float32, c.n)
			sigmoids(s, x)
			for i, v := range x {
				checkClose(t, "sigmoid", float64(v), s[i], 1/(1+math.Exp(-float64(v))))
			}
		})
	}
}

// checkClose fails unless got is e^x or σ(x) = want within 2·10⁻⁶ relative, plus the
// relative error e^x takes from rounding x to float32, or 10⁻³⁷ absolute (results below the
// smallest normal float32 may be flushed to 0), with NaN for NaN.
func checkClose(t *testing.T, what string, x float64, got float32, want float64) {
	t.Helper()
	tol := (2e-6 + math.Abs(x)*0x1p-24) * want
	if math.IsNaN(want) != math.IsNaN(float64(got)) || math.Abs(float64(got)-want) > max(tol, 1e-37) {
		t.Errorf("%s(%g) = %g, want %g", what, x, got, want)
	}
}
