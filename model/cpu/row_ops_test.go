package cpu

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRowOps checks the float32 row kernels, vector lanes and tail where the build has them, against
// float64 math on rows shorter than a vector, whole vectors, and vectors with a tail, with
// and without the optional weight row.
func TestRowOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	row := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = rng.Float32()*4 - 2
		}
		return x
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6*(1+math.Abs(want)) {
			t.Errorf("%s = %g, want %g", what, got, want)
		}
	}
	for _, n := range []int{3, 8, 16, 45, 128} {
		for _, weighted := range []bool{false, true} {
			a, b, x := row(n), row(n), row(n)
			var w []float32
			if weighted {
				w = row(n)
			}
			wAt := func(i int) float64 { return gainAt(w, i) }
			dot := 0.0
			for i := range a {
				dot += float64(a[i]) * float64(b[i]) * wAt(i)
			}
			near("weightedDot", weightedDot(a, b, w), dot)

			y, dx := make([]float32, n), make([]float32, n)
			mulAffine(y, x, w, 0.7, 0.2)
			ax := append([]float32(nil), b...)
			axpbyRow(ax, a, 0.5, -2)
			normBackwardRow(dx, a, x, w, 0.7, 0.3)
			acc := make([]float64, n)
			acc[0] = 1
			accumulate(acc, a, w, 0.5)
			for i := range x {
				near("mulAffine", float64(y[i]), float64(x[i])*(0.7*wAt(i)+0.2))
				near("axpbyRow", float64(ax[i]), 0.5*float64(a[i])-2*float64(b[i]))
				near("normBackwardRow", float64(dx[i]), 0.7*wAt(i)*float64(a[i])-0.3*float64(x[i]))
				near("accumulate", acc[i], float64(a[i])*wAt(i)*0.5+float64(min(i, 1)^1))
			}
		}
	}
}

// TestColumnSums checks columnSums, whichever variant this build runs, against float64 math
// and, to the bit, against accumulate row by row, for strips narrower than, equal to and
// wider than its 64 register columns, over more rows than one block, inside a wider matrix,
// with and without b and scale.
func TestColumnSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const rows, stride = 70, 200 // two blocks of 32 rows and a part
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = rng.Float32()*4 - 2
		}
		return x
	}
	a, b, scale := fill(rows*stride), fill(rows*stride), fill(rows)
	for _, w := range []int{5, 64, 77, 136} {
		for _, tc := range []struct {
			name     string
			b, scale []float32
		}{{"plain", nil, nil}, {"b", b, nil}, {"b·scale", b, scale}} {
			const off = 3 // the strip starts inside the rows
			got, rowByRow := make([]float64, w), make([]float64, w)
			got[0], rowByRow[0] = 1, 1
			var sb []float32
			if tc.b != nil {
				sb = tc.b[off:]
			}
			columnSums(got, a[off:], sb, tc.scale, rows, stride)
			for r := range rows {
				var rb []float32
				if tc.b != nil {
					rb = tc.b[r*stride+off:][:w]
				}
				accumulate(rowByRow, a[r*stride+off:][:w], rb, gainAt(tc.scale, r))
			}
			for c := range w {
				want := float64(min(c, 1) ^ 1)
				for r := range rows {
					i := r*stride + off + c
					want += float64(a[i]) * gainAt(tc.b, i) * gainAt(tc.scale, r)
				}
				if math.Abs(got[c]-want) > 1e-6*(1+math.Abs(want)) {
					t.Errorf("%s w = %d: column %d = %g, want %g", tc.name, w, c, got[c], want)
				}
				if got[c] != rowByRow[c] {
					t.Errorf("%s w = %d: column %d = %g, row by row %g", tc.name, w, c, got[c], rowByRow[c])
				}
			}
		}
	}
}
