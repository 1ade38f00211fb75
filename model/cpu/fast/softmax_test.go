package fast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpRows checks expAffine, whichever variant this build runs, and the prefix that
// Sigmoids handles against float64 math on rows that mix the vector width, a tail, and the
// edges: the smallest normal float32 results, −Inf, NaN.
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
			n := Sigmoids(s, x)
			for i, v := range x[:n] {
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

// TestSoftmaxRows checks maxOf and scaleRow, whichever variant this build runs, on rows
// shorter than a vector, whole vectors and vectors with a tail, with +Inf and NaN.
func TestSoftmaxRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{3, 8, 16, 45, 128} {
		x := make([]float32, n)
		for i := range x {
			x[i] = rng.Float32()*4 - 2
		}
		x[n/2] = 7
		if m := maxOf(x, -1e9); m != 7 {
			t.Errorf("maxOf(n = %d) = %g, want 7", n, m)
		}
		x[0] = float32(math.Inf(1))
		if m := maxOf(x, -1e9); !math.IsInf(float64(m), 1) {
			t.Errorf("maxOf(n = %d, +Inf first) = %g, want +Inf", n, m)
		}
		x[n-1] = float32(math.NaN())
		if m := maxOf(x, -1e9); !math.IsNaN(float64(m)) {
			t.Errorf("maxOf(n = %d, NaN last) = %g, want NaN", n, m)
		}
		want := append([]float32(nil), x...)
		scaleRow(x, 0.25)
		for i := range x {
			if w := want[i] * 0.25; x[i] != w && !math.IsNaN(float64(w)) {
				t.Errorf("scaleRow[%d] = %g, want %g", i, x[i], w)
			}
		}
	}
}
