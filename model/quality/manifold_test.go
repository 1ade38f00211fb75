package quality

import (
	"math/rand/v2"
	"testing"
)

// cloud draws n points around centre with spread s.
func cloud(rng *rand.Rand, n int, centre []float32, s float64) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, len(centre))
		for j, c := range centre {
			out[i][j] = c + float32(s*rng.NormFloat64())
		}
	}
	return out
}

func TestPrecisionRecall(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a, b, far := []float32{0, 0, 0}, []float32{10, 0, 0}, []float32{0, 50, 0}
	real := append(cloud(rng, 200, a, 1), cloud(rng, 200, b, 1)...)
	tests := []struct {
		name                   string
		fake                   [][]float32
		precision, recall, tol float64
	}{
		{"same set", real, 1, 1, 0},
		{"same distribution", append(cloud(rng, 200, a, 1), cloud(rng, 200, b, 1)...), 0.9, 0.9, 0.1},
		{"one mode dropped", cloud(rng, 400, a, 1), 0.95, 0.5, 0.06},
		{"elsewhere", cloud(rng, 400, far, 1), 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, r, err := PrecisionRecall(real, tc.fake, 3)
			if err != nil {
				t.Fatal(err)
			}
			if p < tc.precision-tc.tol || p > tc.precision+tc.tol || r < tc.recall-tc.tol || r > tc.recall+tc.tol {
				t.Fatalf("precision %.3f, recall %.3f; want %.2f and %.2f within %.2f", p, r, tc.precision, tc.recall, tc.tol)
			}
		})
	}
	if _, _, err := PrecisionRecall(real[:3], real, 3); err == nil {
		t.Fatal("3 vectors gave 3-nearest-neighbour balls")
	}
	if _, _, err := PrecisionRecall(real, [][]float32{{1}, {2}, {3}, {4}, {5}}, 3); err == nil {
		t.Fatal("vectors of different widths accepted")
	}
}
