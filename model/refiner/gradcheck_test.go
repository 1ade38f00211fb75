package refiner

import (
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/nn/gradcheck"
	"flowsphere/model/tensor"
)

// TestFlowGradient checks FlowBackward against central differences of the flow loss in
// float64 on the CPU: up to 6 elements of every parameter tensor and every element of the
// latent, at a configuration smaller than tiny with every parameter random (so the zero
// inits hide no path). Times include one past 1−TEps, where the weight is clamped.
func TestFlowGradient(t *testing.T) {
	b := cpu.New64()
	cfg := microConfig(t)
	r := newRig(b, cfg, 2, randomParams, 4)
	fs := r.ref.NewFlowStep(b, r.batch)
	b.Rand(fs.Noise(), fs.Noise().Len(), 5, 0, tensor.Normal)
	times := []float32{0.35, 0.97}
	dLatent := b.New(r.batch, cfg.L())
	r.set.ZeroGrads(b)
	r.ref.SetTimes(b, fs, times)
	r.ref.FlowForward(b, fs, r.x, r.xDec, r.hidden, r.latent)
	r.ref.FlowBackward(b, fs, dLatent)

	loss := func() float64 {
		r.ref.SetTimes(b, fs, times)
		r.ref.FlowForward(b, fs, r.x, r.xDec, r.hidden, r.latent)
		s := 0.0
		for _, v := range fs.Loss().Host64 {
			s += v
		}
		return s
	}
	all := func(n int) []int {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	// sample picks up to 6 indices spread over n elements.
	sample := func(n int) []int {
		if n <= 6 {
			return all(n)
		}
		var idx []int
		for i := range 6 {
			idx = append(idx, (2*i+1)*n/12)
		}
		return idx
	}
	targets := []gradcheck.Target{{Name: "latent", Value: r.latent.Host64, Grad: dLatent.Host64}}
	for _, p := range r.set.List {
		targets = append(targets, gradcheck.Target{Name: p.Name, Value: p.Value.Host64, Grad: p.Grad.Host64, Indices: sample(tensor.Numel(p.Shape))})
	}
	checked := gradcheck.Check(t, loss, targets)
	t.Logf("%d elements of %d tensors agree", checked, len(targets))
}
