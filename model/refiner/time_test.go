package refiner

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTimeEmbedding checks the layout [cos ‖ sin] of 1000·t·10000^(−i/half).
func TestTimeEmbedding(t *testing.T) {
	cases := []struct {
		t    float32
		want []float64 // dim 4: frequencies 1 and 1/100
	}{
		{0, []float64{1, 1, 0, 0}},
		{0.5, []float64{math.Cos(500), math.Cos(5), math.Sin(500), math.Sin(5)}},
		{1, []float64{math.Cos(1000), math.Cos(10), math.Sin(1000), math.Sin(10)}},
	}
	for _, tc := range cases {
		got := TimeEmbedding([]float32{tc.t, tc.t}, 4)
		for i, w := range tc.want {
			for _, g := range []float32{got[i], got[4+i]} {
				if math.Abs(float64(g)-w) > 1e-6 {
					t.Errorf("t=%g: feature %d = %g, want %g", tc.t, i, g, w)
				}
			}
		}
	}
}

// TestDrawTimes checks range and moments of both time distributions on 20000 draws: uniform
// has mean 1/2 and variance 1/12; logit(t) of the logit-normal has mean −0.8, std 0.8.
func TestDrawTimes(t *testing.T) {
	cases := []struct {
		dist      string
		transform func(float64) float64
		mean, std float64
	}{
		{"uniform", func(t float64) float64 { return t }, 0.5, math.Sqrt(1.0 / 12)},
		{"logit-normal", func(t float64) float64 { return math.Log(t / (1 - t)) }, -0.8, 0.8},
	}
	for _, tc := range cases {
		cfg := tinyConfig(t)
		cfg.TimeDist = tc.dist
		ts := DrawTimes(cfg, rand.New(rand.NewPCG(3, 4)), 20000)
		var s, s2 float64
		for _, v := range ts {
			if !(v >= 0 && v < 1) {
				t.Fatalf("%s: t = %g outside [0, 1)", tc.dist, v)
			}
			y := tc.transform(float64(v))
			s += y
			s2 += y * y
		}
		n := float64(len(ts))
		mean := s / n
		std := math.Sqrt(s2/n - mean*mean)
		if math.Abs(mean-tc.mean) > 0.03 || math.Abs(std-tc.std) > 0.03 {
			t.Errorf("%s: mean %.3f std %.3f, want %.3f and %.3f", tc.dist, mean, std, tc.mean, tc.std)
		}
	}
}
