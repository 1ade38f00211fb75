package cpu

import (
	"math"
	"slices"
	"testing"

	"flowsphere/model/cpu/fast"
)

// TestGradClip checks the clip scale and the finiteness flag on known vectors.
func TestGradClip(t *testing.T) {
	long := make([]float64, 100003) // spans several partial-sum blocks
	for i := range long {
		long[i] = 0.01
	}
	tests := []struct {
		name      string
		g         []float64
		maxNorm   float64
		wantScale float64
		wantOK    float64
	}{
		{"3-4-5 clipped", []float64{3, 4}, 1, 1 / (5 + gradClipEps), 1},
		{"norm below max", []float64{3, 4}, 10, 1, 1},
		{"zero gradient", []float64{0, 0, 0}, 1, 1, 1},
		{"single element", []float64{-2}, 1, 1 / (2 + gradClipEps), 1},
		{"many blocks", long, 0.5, 0.5 / (0.01*math.Sqrt(100003) + gradClipEps), 1},
		{"inf", []float64{1, math.Inf(1), 2}, 1, 0, 0},
		{"minus inf", []float64{math.Inf(-1)}, 1, 0, 0},
		{"nan", []float64{1, math.NaN()}, 1, 0, 0},
		{"square overflows float32", []float64{2e19, 1}, 1, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scale := []float64{-1, -1}
			gradClip(scale, tc.g, tc.maxNorm)
			if math.Abs(scale[0]-tc.wantScale) > 1e-12*tc.wantScale || scale[1] != tc.wantOK {
				t.Errorf("scale = %v, want [%.15g %g]", scale, tc.wantScale, tc.wantOK)
			}
		})
	}
}

// TestAdamWTwoSteps checks two steps against the update written out by hand.
func TestAdamWTwoSteps(t *testing.T) {
	const lr, b1, b2, eps, wd = 0.1, 0.9, 0.99, 1e-8, 0.01
	p0 := []float64{1, -0.5, 0, 2}
	g1 := []float64{0.3, -2, 0.5, 0}
	g2 := []float64{-0.1, -1, 0.25, 4}
	p, m, v := slices.Clone(p0), make([]float64, 4), make([]float64, 4)
	adamW(p, g1, m, v, nil, lr, b1, b2, eps, wd, 1)
	adamW(p, g2, m, v, nil, lr, b1, b2, eps, wd, 2)
	for i := range p0 {
		// Step 1: m̂ = g1 and v̂ = g1², so the step is sign(g1) (0 for g1 = 0).
		m1, v1 := 0.1*g1[i], 0.01*g1[i]*g1[i]
		p1 := p0[i] - lr*(g1[i]/(math.Abs(g1[i])+eps)+wd*p0[i])
		m2, v2 := 0.9*m1+0.1*g2[i], 0.99*v1+0.01*g2[i]*g2[i]
		p2 := p1 - lr*((m2/0.19)/(math.Sqrt(v2/0.0199)+eps)+wd*p1)
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"p", p[i], p2}, {"m", m[i], m2}, {"v", v[i], v2}} {
			if math.Abs(c.got-c.want) > 1e-12 {
				t.Errorf("%s[%d] = %.15g, want %.15g", c.name, i, c.got, c.want)
			}
		}
	}
}

// TestAdamWScale checks that scale[0] multiplies the gradient and that scale[1] = 0 leaves
// p, m and v untouched even when g is not finite.
func TestAdamWScale(t *testing.T) {
	const lr, b1, b2, eps, wd = 1e-3, 0.9, 0.999, 1e-8, 0.1
	rng := newRand(3)
	p0, m0, v0, g := randn(rng, 9, 1), randn(rng, 9, 0.1), randn(rng, 9, 0.01), randn(rng, 9, 1)
	for i := range v0 {
		v0[i] *= v0[i]
	}
	half := make([]float64, len(g))
	for i := range g {
		half[i] = 0.5 * g[i]
	}
	p, m, v := slices.Clone(p0), slices.Clone(m0), slices.Clone(v0)
	adamW(p, g, m, v, []float64{0.5, 1}, lr, b1, b2, eps, wd, 4)
	pw, mw, vw := slices.Clone(p0), slices.Clone(m0), slices.Clone(v0)
	adamW(pw, half, mw, vw, nil, lr, b1, b2, eps, wd, 4)
	if !slices.Equal(p, pw) || !slices.Equal(m, mw) || !slices.Equal(v, vw) {
		t.Errorf("scale 0.5 differs from a halved gradient")
	}

	g[2], g[5] = math.NaN(), math.Inf(1)
	p, m, v = slices.Clone(p0), slices.Clone(m0), slices.Clone(v0)
	adamW(p, g, m, v, []float64{0, 0}, lr, b1, b2, eps, wd, 4)
	if !slices.Equal(p, p0) || !slices.Equal(m, m0) || !slices.Equal(v, v0) {
		t.Errorf("a skipped step changed the state")
	}
}

// TestAdamW32 checks the float32 AdamW task, vector lanes and tail where the build has them,
// against the element-at-a-time kernel: the same float64 arithmetic, so the same bits.
func TestAdamW32(t *testing.T) {
	rng := newRand(11)
	const n = 37 // whole vectors and a tail
	k := fast.AdamWCoeffs{GS: 0.5, B1: 0.9, B2: 0.95, LR: 1e-3, Eps: 1e-8, WD: 0.1, BC1: 1 / (1 - 0.9), BC2: 1 / (1 - 0.95)}
	var want, got [4][]float32
	for i := range want {
		want[i] = make([]float32, n)
		for j, v := range randn(rng, n, 1) {
			want[i][j] = float32(v)
		}
		got[i] = append([]float32(nil), want[i]...)
	}
	for i := range n { // second moments are not negative
		want[3][i] = float32(math.Abs(float64(want[3][i])))
		got[3][i] = want[3][i]
	}
	adamWScalar(want[0], want[1], want[2], want[3], &k)
	(&adamWTask[float32]{got[0], got[1], got[2], got[3], k}).Run(nil, 0, n)
	for i := range want {
		for j := range n {
			if got[i][j] != want[i][j] {
				t.Fatalf("operand %d element %d: %g, want %g", i, j, got[i][j], want[i][j])
			}
		}
	}
}
