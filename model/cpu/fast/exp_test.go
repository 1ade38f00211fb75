package fast

import (
	"math"
	"testing"
)

// TestExp32 compares Exp32 with math.Exp rounded to float32 over the float32 range, in ulps.
func TestExp32(t *testing.T) {
	cases := []struct {
		name     string
		lo, hi   float32
		steps    int
		maxULPs  float64
		wantZero bool
	}{
		{"softmax range", -30, 0, 100000, 2, false},
		{"activation range", -20, 20, 100000, 2, false},
		{"whole normal range", -87.3, 88.72, 100000, 2, false},
		{"underflow", -300, -87.34, 100, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			worst := 0.0
			for i := range c.steps + 1 {
				x := c.lo + (c.hi-c.lo)*float32(i)/float32(c.steps)
				got, want := Exp32(x), float32(math.Exp(float64(x)))
				if c.wantZero {
					if got != 0 {
						t.Fatalf("Exp32(%g) = %g, want 0", x, got)
					}
					continue
				}
				ulp := float64(math.Nextafter32(want, float32(math.Inf(1))) - want)
				worst = max(worst, math.Abs(float64(got-want))/ulp)
			}
			if worst > c.maxULPs {
				t.Errorf("worst error %.2f ulp, want ≤ %g", worst, c.maxULPs)
			}
		})
	}
	for _, x := range []float32{float32(math.NaN()), 89, float32(math.Inf(1)), float32(math.Inf(-1))} {
		got, want := Exp32(x), float32(math.Exp(float64(x)))
		if got != want && !(got != got && want != want) {
			t.Errorf("Exp32(%g) = %g, want %g", x, got, want)
		}
	}
}

// BenchmarkExp compares Exp32 with math.Exp.
func BenchmarkExp(b *testing.B) {
	xs := make([]float32, 4096)
	for i := range xs {
		xs[i] = float32(i)/256 - 8
	}
	b.Run("Exp32", func(b *testing.B) {
		s := float32(0)
		for range b.N {
			for _, x := range xs {
				s += Exp32(x)
			}
		}
		sink = float64(s)
	})
	b.Run("math.Exp", func(b *testing.B) {
		s := 0.0
		for range b.N {
			for _, x := range xs {
				s += math.Exp(float64(x))
			}
		}
		sink = s
	})
}

var sink float64
