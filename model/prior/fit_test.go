package prior

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// twoBlobs draws n points of a known mixture in 3-D: weight 0.3 around (−4, 0, 0) with
// spread 0.5 along every axis, weight 0.7 around (4, 1, 0) stretched along the diagonal.
func twoBlobs(n int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float32, n)
	for i := range out {
		z := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		if rng.Float64() < 0.3 {
			out[i] = []float32{float32(-4 + 0.5*z[0]), float32(0.5 * z[1]), float32(0.5 * z[2])}
		} else {
			out[i] = []float32{float32(4 + z[0]), float32(1 + z[0] + 0.3*z[1]), float32(0.3 * z[2])}
		}
	}
	return out
}

func TestFitRecoversMixture(t *testing.T) {
	o := DefaultFitOptions()
	o.Components, o.Shrink = 2, 0
	m, ll, err := Fit(twoBlobs(4000, 1), o)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	small, big := 0, 1
	if meanOf(m, 0)[0] > 0 {
		small, big = 1, 0
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"small weight", m.Weights[small], 0.3},
		{"small mean x", meanOf(m, small)[0], -4},
		{"big mean y", meanOf(m, big)[1], 1},
		{"small var x", covOf(m, small, 0, 0), 0.25},
		{"big cov xy", covOf(m, big, 0, 1), 1},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 0.08 {
			t.Errorf("%s = %.3f, want %.2f", c.name, c.got, c.want)
		}
	}
	if !(ll > -4) {
		t.Errorf("mean log-likelihood %.3f", ll)
	}
}

// meanOf is component c's mean in R^Dim: centre + B·mean.
func meanOf(m *Mixture, c int) []float64 {
	out := append([]float64(nil), m.Center...)
	for i := range out {
		for j := range m.Rank {
			out[i] += m.Basis[i*m.Rank+j] * m.Means[c][j]
		}
	}
	return out
}

// covOf is entry (a, b) of component c's covariance in R^Dim, B·CCᵀ·Bᵀ (no residual: these
// tests fit at full rank).
func covOf(m *Mixture, c, a, b int) float64 {
	r, ch := m.Rank, m.Chols[c]
	s := 0.0
	for i := range r {
		for j := range r {
			cc := 0.0
			for k := range r {
				cc += ch[i*r+k] * ch[j*r+k]
			}
			s += m.Basis[a*r+i] * cc * m.Basis[b*r+j]
		}
	}
	return s
}

func TestSampleFollowsMixture(t *testing.T) {
	o := DefaultFitOptions()
	o.Components = 2
	m, _, err := Fit(twoBlobs(4000, 2), o)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, temp := range []float64{1, 0.5} {
		left, spread := 0, 0.0
		p := make([]float32, 3)
		const n = 20000
		for range n {
			m.Sample(p, rng, temp)
			if p[0] < 0 {
				left++
				spread += float64(p[2]) * float64(p[2])
			}
		}
		sd := math.Sqrt(spread / float64(left))
		if share := float64(left) / n; math.Abs(share-0.3) > 0.02 {
			t.Errorf("temperature %g: %.3f of the draws in the small component, want 0.3", temp, share)
		}
		if want := 0.5 * temp; math.Abs(sd-want) > 0.05*want+0.02 {
			t.Errorf("temperature %g: small component's z spread %.3f, want %.3f", temp, sd, want)
		}
	}
}

func TestFitFewPoints(t *testing.T) {
	// Eight points in 16 dimensions: one shrunk component, still positive definite.
	rng := rand.New(rand.NewPCG(5, 6))
	pts := make([][]float32, 8)
	for i := range pts {
		pts[i] = make([]float32, 16)
		for j := range pts[i] {
			pts[i][j] = float32(rng.NormFloat64())
		}
	}
	m, _, err := Fit(pts, DefaultFitOptions())
	if err != nil {
		t.Fatal(err)
	}
	if m.Components() != 1 {
		t.Fatalf("%d components for 8 points", m.Components())
	}
	same := [][]float32{{1, 2}, {1, 2}, {1, 2}}
	if _, _, err := Fit(same, DefaultFitOptions()); err != nil {
		t.Fatalf("identical points: %v", err)
	}
}

func TestFitRefuses(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name   string
		points [][]float32
		opt    func(o *FitOptions)
		want   string
	}{
		{"one point", [][]float32{{1}}, nil, "at least 2"},
		{"ragged", [][]float32{{1, 2}, {3}}, nil, "has 1 values"},
		{"not finite", [][]float32{{1}, {nan}}, nil, "not finite"},
		{"no components", [][]float32{{1}, {2}}, func(o *FitOptions) { o.Components = 0 }, "components"},
		{"bad shrink", [][]float32{{1}, {2}}, func(o *FitOptions) { o.Shrink = 2 }, "shrink"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultFitOptions()
			if tc.opt != nil {
				tc.opt(&o)
			}
			if _, _, err := Fit(tc.points, o); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	good := func() *Mixture {
		return &Mixture{Dim: 3, Rank: 2, Center: []float64{1, 2, 3}, Basis: []float64{1, 0, 0, 1, 0, 0}, Residual: 0.1,
			Weights: []float64{0.5, 0.5}, Means: [][]float64{{0, 0}, {1, 1}}, Chols: [][]float64{{1, 0, 0.5, 1}, {2, 0, 0, 2}}}
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(m *Mixture)
		want   string
	}{
		{"no components", func(m *Mixture) { m.Weights, m.Means, m.Chols = nil, nil, nil }, "weights"},
		{"rank above dimension", func(m *Mixture) { m.Dim = 1 }, "rank 2 in dimension 1"},
		{"short basis", func(m *Mixture) { m.Basis = m.Basis[:4] }, "basis of 4"},
		{"basis not unit", func(m *Mixture) { m.Basis[2] = 3 }, "norm"},
		{"negative residual", func(m *Mixture) { m.Residual = -1 }, "residual"},
		{"NaN centre", func(m *Mixture) { m.Center[0] = math.NaN() }, "non-finite centre"},
		{"negative weight", func(m *Mixture) { m.Weights[0] = -0.5 }, "weight"},
		{"weights off 1", func(m *Mixture) { m.Weights[0] = 0.9 }, "sum"},
		{"short mean", func(m *Mixture) { m.Means[1] = []float64{1} }, "mean of 1"},
		{"NaN mean", func(m *Mixture) { m.Means[0][1] = math.NaN() }, "non-finite mean"},
		{"upper triangle", func(m *Mixture) { m.Chols[0][1] = 0.1 }, "lower-triangular"},
		{"zero diagonal", func(m *Mixture) { m.Chols[1][3] = 0 }, "diagonal"},
		{"Inf factor", func(m *Mixture) { m.Chols[1][2] = math.Inf(1) }, "non-finite factor"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := good()
			tc.change(m)
			if err := m.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// TestFitLowRank fits points with three strong directions and weak isotropic noise in ten
// dimensions at rank 3: the residual is the noise, the basis spans the strong directions,
// and draws keep both.
func TestFitLowRank(t *testing.T) {
	const d, noise = 10, 0.05
	rng := rand.New(rand.NewPCG(7, 8))
	pts := make([][]float32, 3000)
	for i := range pts {
		pts[i] = make([]float32, d)
		for j := range pts[i] {
			pts[i][j] = float32(1 + noise*rng.NormFloat64())
		}
		for j := range 3 { // strong directions: the first three axes
			pts[i][j] += float32(float64(j+1) * rng.NormFloat64())
		}
	}
	o := DefaultFitOptions()
	o.Rank, o.Components = 3, 4
	m, _, err := Fit(pts, o)
	if err != nil {
		t.Fatal(err)
	}
	if m.Rank != 3 || math.Abs(m.Residual-noise) > 0.005 {
		t.Fatalf("rank %d, residual %.4f, want 3 and %g", m.Rank, m.Residual, noise)
	}
	for i := 3; i < d; i++ { // the weak axes lie outside the basis
		for j := range 3 {
			if math.Abs(m.Basis[i*3+j]) > 0.05 {
				t.Fatalf("basis column %d has %.3f on weak axis %d", j, m.Basis[i*3+j], i)
			}
		}
	}
	p, sumSq, sum := make([]float32, d), 0.0, 0.0
	const n = 20000
	for range n {
		m.Sample(p, rng, 1)
		sum += float64(p[9])
		sumSq += float64(p[9]) * float64(p[9])
	}
	if sd := math.Sqrt(sumSq/n - (sum/n)*(sum/n)); math.Abs(sd-noise) > 0.01 || math.Abs(sum/n-1) > 0.01 {
		t.Fatalf("draws along a weak axis: mean %.3f, sd %.4f; want 1 and %g", sum/n, sd, noise)
	}
}
