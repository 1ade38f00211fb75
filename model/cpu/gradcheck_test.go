package cpu

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gradStep is the central-difference step; in float64 it leaves truncation and rounding
// errors near 1e-9 for the smooth ops here.
const gradStep = 1e-5

// gradCheck compares analytic gradients with central differences in float64. loss
// recomputes the scalar from the current contents of params; grads[i] is the analytic
// gradient of loss with respect to params[i]. Each element passes when
// |numeric − analytic| ≤ tol·max(1, |numeric|, |analytic|).
func gradCheck(t *testing.T, loss func() float64, params, grads [][]float64, tol float64) {
	t.Helper()
	for p, x := range params {
		for i := range x {
			orig := x[i]
			x[i] = orig + gradStep
			up := loss()
			x[i] = orig - gradStep
			down := loss()
			x[i] = orig
			num := (up - down) / (2 * gradStep)
			ana := grads[p][i]
			if math.Abs(num-ana) > tol*math.Max(1, math.Max(math.Abs(num), math.Abs(ana))) {
				t.Fatalf("param %d element %d: analytic %.9g, numeric %.9g", p, i, ana, num)
			}
		}
	}
}

// dot is Σ a·b, the scalar loss ⟨upstream, output⟩ whose gradient is the backward pass.
func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// randn returns n seeded Gaussian values with standard deviation scale.
func randn(rng *rand.Rand, n int, scale float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = rng.NormFloat64() * scale
	}
	return out
}

// newRand returns a seeded generator for a test.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

// TestGradCheckDetectsWrongGradient makes sure the checker itself can fail.
func TestGradCheckDetectsWrongGradient(t *testing.T) {
	x := []float64{0.3, -1.2}
	loss := func() float64 { return x[0]*x[0] + 3*x[1] }
	ft := &testing.T{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		gradCheck(ft, loss, [][]float64{x}, [][]float64{{0.6, 2.9}}, 1e-6)
	}()
	<-done
	if !ft.Failed() {
		t.Fatal("a wrong gradient passed the check")
	}
	gradCheck(t, loss, [][]float64{x}, [][]float64{{0.6, 3}}, 1e-6)
}
