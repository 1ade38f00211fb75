package cpu

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"flowsphere/model/nn/gradcheck"
)

// gradCheck compares analytic gradients with central differences in float64 (see
// gradcheck.CheckTol). loss recomputes the scalar from the current contents of params;
// grads[i] is the analytic gradient of loss with respect to params[i].
func gradCheck(t *testing.T, loss func() float64, params, grads [][]float64, tol float64) {
	t.Helper()
	targets := make([]gradcheck.Target, len(params))
	for i := range params {
		targets[i] = gradcheck.Target{Name: fmt.Sprintf("param %d", i), Value: params[i], Grad: grads[i]}
	}
	gradcheck.CheckTol(t, loss, targets, tol)
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
