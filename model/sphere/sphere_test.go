package sphere

import (
	"math"
	"math/rand/v2"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
)

// TestSpherifyNorm checks |spherify(u)| = sqrt(L) for random rows of several scales.
func TestSpherifyNorm(t *testing.T) {
	b := cpu.New()
	for _, tc := range []struct {
		rows, cols int
		scale      float32
	}{{1, 8, 1}, {3, 64, 1e-2}, {4, 2048, 30}} {
		u, v, rstd := b.New(tc.rows, tc.cols), b.New(tc.rows, tc.cols), b.New(tc.rows)
		rng := rand.New(rand.NewPCG(1, uint64(tc.cols)))
		for i := range u.Host {
			u.Host[i] = tc.scale * float32(rng.NormFloat64())
		}
		b.Spherify(v, rstd, u, tc.rows, tc.cols)
		for r := range tc.rows {
			n := 0.0
			for _, x := range v.Host[r*tc.cols : (r+1)*tc.cols] {
				n += float64(x) * float64(x)
			}
			if got, want := math.Sqrt(n), math.Sqrt(float64(tc.cols)); math.Abs(got-want) > 1e-5*want {
				t.Errorf("%d×%d ×%g: row %d has norm %g, want %g", tc.rows, tc.cols, tc.scale, r, got, want)
			}
		}
	}
}

// TestNoiseAngle checks that perturb moves a sphere point by the angle α when σ = tan α,
// in both halves.
// In L = 4096 dimensions a random direction is nearly orthogonal to v, so the angle between
// v and spherify(v + tan α·e) is close to α: its component along v, N(0, 1) against
// |v| = 64, moves a single row by up to ~0.9° per standard deviation at 80°, so each row
// must be within 3° and the mean over 2 × 32 rows within 0.5°.
func TestNoiseAngle(t *testing.T) {
	const rows, l = 32, 4096
	b := cpu.New()
	g, v, e := b.New(rows, l), b.New(rows, l), b.New(rows, l)
	n := noised{
		sigma: b.New(2 * rows), ones: b.New(2 * rows), e: b.New(2*rows, l),
		u: b.New(2*rows, l), v: b.New(2*rows, l), rstd: b.New(2 * rows),
	}
	b.Rand(g, rows*l, 7, 0, tensor.Normal)
	b.Rand(e, rows*l, 7, 1, tensor.Normal)
	b.Spherify(v, n.rstd, g, rows, l)
	b.Fill(n.ones, 1)
	for _, deg := range []float64{10, 45, 80} {
		b.Fill(n.sigma, float32(math.Tan(deg*math.Pi/180)))
		n.perturb(b, v, e, rows, l)
		mean := 0.0
		for r := range 2 * rows {
			dot := 0.0
			for i := range l {
				dot += float64(v.Host[r%rows*l+i]) * float64(n.v.Host[r*l+i])
			}
			angle := math.Acos(math.Min(1, dot/l)) * 180 / math.Pi
			if math.Abs(angle-deg) > 3 {
				t.Errorf("α = %g°: row %d moved by %.3g°", deg, r, angle)
			}
			mean += angle / (2 * rows)
		}
		if math.Abs(mean-deg) > 0.5 {
			t.Errorf("α = %g°: mean angle %.3g°", deg, mean)
		}
	}
}

// TestDrawNoise checks the noise draws: σ = tan α with α in [0, AlphaMixMax], about MixProb
// of the samples in the overflow band above AlphaMax, and σ_small in [0, SmallNoise·σ].
func TestDrawNoise(t *testing.T) {
	cfg := preset(t, "small")
	const n = 20000
	noise := DrawNoise(cfg, rand.New(rand.NewPCG(1, 2)), n)
	over := 0
	for i := range n {
		alpha := math.Atan(float64(noise.SigmaBig[i])) * 180 / math.Pi
		if alpha < 0 || alpha > cfg.AlphaMixMax+1e-4 {
			t.Fatalf("sample %d: α = %g°", i, alpha)
		}
		if alpha > cfg.AlphaMax+1e-4 {
			over++
		}
		if s := noise.SigmaSmall[i]; s < 0 || float64(s) > cfg.SmallNoise*float64(noise.SigmaBig[i])*(1+1e-6) {
			t.Fatalf("sample %d: σ_small %g for σ %g", i, s, noise.SigmaBig[i])
		}
	}
	// Binomial(20000, 0.1): standard deviation 42; allow five of them.
	if want := cfg.MixProb * n; math.Abs(float64(over)-want) > 5*math.Sqrt(want*(1-cfg.MixProb)) {
		t.Errorf("%d samples above %g°, want about %g", over, cfg.AlphaMax, want)
	}
}
