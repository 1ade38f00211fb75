package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

func norm(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// angle is the angle between a and b in degrees.
func angle(a, b []float32) float64 {
	dot := 0.0
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return math.Acos(max(-1, min(1, dot/(norm(a)*norm(b))))) * 180 / math.Pi
}

func point(L int, seed uint64) []float32 {
	v := make([]float32, L)
	randomPoint(v, rand.New(rand.NewPCG(seed, 0)))
	return v
}

// TestNeighbourAngle checks that neighbours lie on the sphere at the asked angle.
func TestNeighbourAngle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		L       int
		degrees float64
	}{{64, 0}, {64, 5}, {128, 20}, {256, 45}, {128, 90}, {64, 150}, {2, 30}} {
		c := point(tc.L, uint64(tc.L))
		v := make([]float32, tc.L)
		neighbour(v, c, tc.degrees, rng)
		if got := angle(c, v); math.Abs(got-tc.degrees) > 0.05 {
			t.Errorf("L %d, %g°: angle %g°", tc.L, tc.degrees, got)
		}
		if n := norm(v); math.Abs(n-math.Sqrt(float64(tc.L))) > 1e-3 {
			t.Errorf("L %d: norm %g, want sqrt(L)", tc.L, n)
		}
	}
}

// TestSlerp checks the ends, the middle and that every point stays on the sphere.
func TestSlerp(t *testing.T) {
	const L = 128
	a, b := point(L, 1), point(L, 2)
	total := angle(a, b)
	for _, tc := range []struct{ t, want float64 }{{0, 0}, {0.25, 0.25}, {0.5, 0.5}, {1, 1}} {
		v := make([]float32, L)
		slerp(v, a, b, tc.t)
		if got := angle(a, v) / total; math.Abs(got-tc.want) > 1e-3 {
			t.Errorf("t %g: %g of the way, want %g", tc.t, got, tc.want)
		}
		if n := norm(v); math.Abs(n-math.Sqrt(L)) > 1e-3 {
			t.Errorf("t %g: norm %g", tc.t, n)
		}
	}
	v := make([]float32, L)
	slerp(v, a, a, 0.5) // equal ends: no division by sin 0
	if angle(a, v) > 0.01 {
		t.Error("slerp between equal points left the point")
	}
}

// TestRandomPointNorm checks that random points lie on the sphere.
func TestRandomPointNorm(t *testing.T) {
	for _, L := range []int{1, 64, 256} {
		if n := norm(point(L, 3)); math.Abs(n-math.Sqrt(float64(L))) > 1e-4 {
			t.Errorf("L %d: norm %g", L, n)
		}
	}
}
