package nn_test

import (
	"math"
	"testing"

	"flowsphere/model/nn"
)

// TestSinCos2D checks the table against the formula: channel i < width/4 of the row half is
// sin(row·ω_i), the next quarter cos(row·ω_i), and the column half likewise with the column.
func TestSinCos2D(t *testing.T) {
	for _, tc := range []struct{ grid, width int }{{1, 4}, {3, 8}, {8, 128}} {
		table := nn.SinCos2D(tc.grid, tc.width)
		if len(table) != tc.grid*tc.grid*tc.width {
			t.Fatalf("grid %d width %d: %d values", tc.grid, tc.width, len(table))
		}
		q := tc.width / 4
		for tok := range tc.grid * tc.grid {
			row, col := tok/tc.grid, tok%tc.grid
			for i := range q {
				w := math.Pow(10000, -float64(i)/float64(q))
				want := map[int]float64{
					i:       math.Sin(float64(row) * w),
					q + i:   math.Cos(float64(row) * w),
					2*q + i: math.Sin(float64(col) * w),
					3*q + i: math.Cos(float64(col) * w),
				}
				for ch, v := range want {
					if got := float64(table[tok*tc.width+ch]); math.Abs(got-v) > 1e-6 {
						t.Fatalf("grid %d width %d: token %d channel %d = %g, want %g", tc.grid, tc.width, tok, ch, got, v)
					}
				}
			}
		}
	}
}

// TestSinCos2DDistinct checks that every token of the grid gets its own position vector.
func TestSinCos2DDistinct(t *testing.T) {
	const grid, width = 8, 16
	table := nn.SinCos2D(grid, width)
	for a := range grid * grid {
		for c := range a {
			dist := 0.0
			for ch := range width {
				d := float64(table[a*width+ch] - table[c*width+ch])
				dist += d * d
			}
			if dist < 1e-3 {
				t.Fatalf("tokens %d and %d share a position vector (squared distance %g)", c, a, dist)
			}
		}
	}
}

// TestSinCos2DWidth checks that a width that cannot be split into quarters is refused.
func TestSinCos2DWidth(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("width 6 accepted")
		}
	}()
	nn.SinCos2D(2, 6)
}
