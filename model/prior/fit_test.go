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
	if m.Means[0][0] > 0 {
		small, big = 1, 0
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"small weight", m.Weights[small], 0.3},
		{"small mean x", m.Means[small][0], -4},
		{"big mean y", m.Means[big][1], 1},
		{"small sd x", m.Chols[small][0], 0.5},               // C[0][0] = σ_x
		{"big cov xy", m.Chols[big][3] * m.Chols[big][0], 1}, // C[1][0]·C[0][0] = Σ_xy
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
		return &Mixture{Dim: 2, Weights: []float64{0.5, 0.5}, Means: [][]float64{{0, 0}, {1, 1}},
			Chols: [][]float64{{1, 0, 0.5, 1}, {2, 0, 0, 2}}}
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
