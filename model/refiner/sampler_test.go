package refiner

import (
	"math"
	"slices"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
)

// samplerRig is a tiny refiner with random parameters, a decode x0 and noise ε.
type samplerRig struct {
	*rig
	x0, eps, out *tensor.Tensor
}

func newSamplerRig(b tensor.Backend, t testing.TB, seed uint64) *samplerRig {
	r := newRig(b, tinyConfig(t), 2, randomParams, seed)
	s := &samplerRig{rig: r, x0: r.xDec, eps: b.New(r.x.Shape...), out: b.New(r.x.Shape...)}
	b.Rand(s.eps, s.eps.Len(), seed, 0, tensor.Normal)
	return s
}

// TestSamplerCalls checks the network call counts (Heun 2N−1, Euler N, none for N = 0,
// where the output is x0 itself) against PlannedCalls and AfterCall's reports, and that the same
// noise gives bit-identical images.
func TestSamplerCalls(t *testing.T) {
	cases := []struct {
		steps int
		euler bool
		calls int
	}{
		{0, false, 0}, {1, false, 1}, {2, false, 3}, {4, false, 7}, {8, false, 15},
		{0, true, 0}, {1, true, 1}, {2, true, 2}, {4, true, 4}, {8, true, 8},
	}
	b := cpu.New()
	sr := newSamplerRig(b, t, 6)
	s := sr.ref.NewSampler(b, sr.batch)
	x0 := tensortest.Download(t, b, sr.x0)
	var reported []int
	s.AfterCall = func(calls int) { reported = append(reported, calls) }
	for _, tc := range cases {
		s.Steps, s.Euler = tc.steps, tc.euler
		if got := PlannedCalls(tc.steps, tc.euler); got != tc.calls {
			t.Errorf("steps %d euler %v: %d calls planned, want %d", tc.steps, tc.euler, got, tc.calls)
		}
		var runs [2][]float32
		for i := range runs {
			reported = reported[:0]
			sr.ref.Sample(b, s, sr.out, sr.x0, sr.hidden, sr.latent, sr.eps)
			if s.Calls != tc.calls {
				t.Errorf("steps %d euler %v: %d calls, want %d", tc.steps, tc.euler, s.Calls, tc.calls)
			}
			if len(reported) != tc.calls || tc.calls > 0 && reported[tc.calls-1] != tc.calls {
				t.Errorf("steps %d euler %v: AfterCall reported %v, want 1…%d", tc.steps, tc.euler, reported, tc.calls)
			}
			runs[i] = tensortest.Download(t, b, sr.out)
		}
		if !slices.Equal(runs[0], runs[1]) {
			t.Errorf("steps %d euler %v: two runs with the same noise differ", tc.steps, tc.euler)
		}
		if (tc.steps == 0) != slices.Equal(runs[0], x0) {
			t.Errorf("steps %d euler %v: output equals x0 = %v", tc.steps, tc.euler, tc.steps != 0)
		}
	}
}

// TestSamplerIntegrates compares Sample with the integrator written out on the host, calling
// the refiner through Forward: x = r·ε + (1−r)·x0; N−1 Heun (or Euler) steps of
// V(x, t) = (R(x, t) − x)/max(1−t, TEps); then R(x, (N−1)/N).
func TestSamplerIntegrates(t *testing.T) {
	b := cpu.New()
	sr := newSamplerRig(b, t, 7)
	cfg := sr.cfg
	s := sr.ref.NewSampler(b, sr.batch)
	a := sr.ref.NewActs(b, sr.batch)
	xIn := b.New(sr.x.Shape...)
	// refine is R(x, t) on the host.
	refine := func(x []float64, tm float64) []float64 {
		host := make([]float32, len(x))
		for i, v := range x {
			host[i] = float32(v)
		}
		b.Upload(xIn, host)
		sr.ref.Forward(b, a, xIn, sr.hidden, sr.latent, []float32{float32(tm), float32(tm)})
		out := tensortest.Download(t, b, a.Pred())
		res := make([]float64, len(out))
		for i, v := range out {
			res[i] = float64(v)
		}
		return res
	}
	velocity := func(x []float64, tm float64) []float64 {
		v := refine(x, tm)
		for i := range v {
			v[i] = (v[i] - x[i]) / math.Max(1-tm, cfg.TEps)
		}
		return v
	}
	axpy := func(y []float64, alpha float64, x []float64) []float64 {
		out := slices.Clone(y)
		for i := range out {
			out[i] += alpha * x[i]
		}
		return out
	}
	x0, eps := tensortest.Download(t, b, sr.x0), tensortest.Download(t, b, sr.eps)
	for _, tc := range []struct {
		steps int
		euler bool
	}{{1, false}, {2, false}, {3, false}, {2, true}, {3, true}} {
		n := float64(tc.steps)
		x := make([]float64, len(x0))
		for i := range x {
			x[i] = cfg.Ratio*float64(eps[i]) + (1-cfg.Ratio)*float64(x0[i])
		}
		for k := range tc.steps - 1 {
			t0, t1 := float64(k)/n, float64(k+1)/n
			k1 := velocity(x, t0)
			if tc.euler {
				x = axpy(x, 1/n, k1)
				continue
			}
			k2 := velocity(axpy(x, 1/n, k1), t1)
			x = axpy(axpy(x, 0.5/n, k1), 0.5/n, k2)
		}
		want := refine(x, (n-1)/n)

		s.Steps, s.Euler = tc.steps, tc.euler
		sr.ref.Sample(b, s, sr.out, sr.x0, sr.hidden, sr.latent, sr.eps)
		got := tensortest.Download(t, b, sr.out)
		for i := range got {
			if d := math.Abs(float64(got[i]) - want[i]); d > 1e-4*(1+math.Abs(want[i])) {
				t.Fatalf("steps %d euler %v: out[%d] = %g, host integrator %g", tc.steps, tc.euler, i, got[i], want[i])
			}
		}
	}
}
