// Package gradcheck compares analytic gradients with central differences, for the
// float64 gradient checks of layers and models (run on cpu.New64, whose tensors hold Host64).
// It is a test helper. It imports nothing of ours.
package gradcheck

import (
	"math"
	"testing"
)

// Step is the central-difference step; in float64 it leaves errors near 1e-9 for smooth losses.
const Step = 1e-5

// Tol is the allowed difference, relative to max(1, |numeric|).
const Tol = 1e-6

// Target is one tensor's values (perturbed in place) and its analytic gradient.
type Target struct {
	Name        string
	Value, Grad []float64
	Indices     []int // elements to check; nil checks every element
}

// Check perturbs each checked element by ±Step, recomputes loss, and reports every element
// whose numeric and analytic gradients differ by more than Tol·max(1, |numeric|). It returns
// the number of elements checked.
func Check(t testing.TB, loss func() float64, targets []Target) int {
	t.Helper()
	return CheckTol(t, loss, targets, Tol)
}

// CheckTol is Check with the tolerance tol in place of Tol (kernels whose sums in float64
// are exact to 1e-7 and better check tighter).
func CheckTol(t testing.TB, loss func() float64, targets []Target, tol float64) int {
	t.Helper()
	checked := 0
	for _, tg := range targets {
		grad := append([]float64(nil), tg.Grad...) // loss() may reuse gradient storage
		idx := tg.Indices
		if idx == nil {
			idx = make([]int, len(tg.Value))
			for i := range idx {
				idx[i] = i
			}
		}
		for _, i := range idx {
			orig := tg.Value[i]
			tg.Value[i] = orig + Step
			up := loss()
			tg.Value[i] = orig - Step
			down := loss()
			tg.Value[i] = orig
			num := (up - down) / (2 * Step)
			if d := math.Abs(num - grad[i]); d > tol*math.Max(1, math.Abs(num)) {
				t.Errorf("%s[%d]: analytic %.9g, numeric %.9g", tg.Name, i, grad[i], num)
			}
			checked++
		}
	}
	return checked
}
