package sphere

import (
	"math"
	"math/rand/v2"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/nn/gradcheck"
	"flowsphere/model/tensor"
)

// surrogate evaluates the training loss of DESIGN.md §4.2 from the passes, independently of
// Forward's loss code, with the stop-gradients made explicit: the pixel-consistency target
// and the re-encoded image are the frozen host values xSmall and xBig. It adds
// ⟨dVSmall, v_small⟩, which stands in for the refiner's gradient on v_small.
type surrogate struct {
	r            *rig
	st           *Step // activations for the evaluation (not the rig's step)
	x, e         *tensor.Tensor
	xSmall, xBig *tensor.Tensor // frozen D(v_small), D(v_big) at the base point
	dVSmall      []float64
}

func (s *surrogate) loss(b tensor.Backend) float64 {
	c, ae, st := s.r.cfg, s.r.ae, s.st
	bsz, l := s.r.batch, c.L()
	n := &st.noised
	ae.enc.forward(b, st.enc, s.x)
	n.perturb(b, st.enc.v, s.e, bsz, l)
	ae.dec.forward(b, n.dec, n.v)
	ae.enc.forward(b, st.reenc, s.xBig)
	perPixel := float64(bsz * c.Pixels())
	total := 0.0
	for i, d := range n.xSmall.Host64 {
		total += huber(d-s.x.Host64[i]) / perPixel
	}
	for i, d := range n.xBig.Host64 {
		total += c.PixelWeight * huber(d-s.xSmall.Host64[i]) / perPixel
	}
	for r := range bsz {
		a, v := st.reenc.v.Host64[r*l:(r+1)*l], st.enc.v.Host64[r*l:(r+1)*l]
		var av, aa, vv float64
		for j := range a {
			av, aa, vv = av+a[j]*v[j], aa+a[j]*a[j], vv+v[j]*v[j]
		}
		total += c.LatentWeight * (1 - av/math.Sqrt(aa*vv)) / float64(bsz)
	}
	for i, v := range n.vSmall.Host64 {
		total += v * s.dVSmall[i]
	}
	return total
}

// huber is SmoothL1 with beta 1.
func huber(d float64) float64 {
	if math.Abs(d) < 1 {
		return 0.5 * d * d
	}
	return math.Abs(d) - 0.5
}

// TestGradient checks Backward against central differences of the whole training loss —
// reconstruction, pixel and latent consistency, plus ⟨dVSmall, v_small⟩ for a random
// dVSmall — in float64 on the micro config, for up to 6 elements of every parameter tensor.
// Parameters are random, so every path carries signal and the SmoothL1 differences stay away
// from the kink at |d| = 1; the noise and the direction e are fixed. It also checks that
// Losses sums to the same loss.
func TestGradient(t *testing.T) {
	const batch, perTensor = 2, 6
	b := cpu.New64()
	cfg := micro(t)
	r := newRig(b, cfg, batch, 3, true)
	noise := fixedNoise(cfg, batch)
	rng := rand.New(rand.NewPCG(8, 8))
	dVSmall := b.New(batch, cfg.L())
	for i := range dVSmall.Host64 {
		dVSmall.Host64[i] = rng.NormFloat64()
	}
	r.set.ZeroGrads(b)
	r.ae.SetNoise(b, r.st, noise)
	r.ae.Forward(b, r.st, r.x)
	r.ae.Backward(b, r.st, dVSmall)

	frozen := func(x *tensor.Tensor) *tensor.Tensor {
		f := b.New(x.Shape...)
		copy(f.Host64, x.Host64)
		return f
	}
	s := &surrogate{
		r: r, st: r.ae.NewStep(b, batch), x: r.x, e: r.st.Direction(),
		xSmall: frozen(r.st.XSmall()), xBig: frozen(r.st.noised.xBig), dVSmall: dVSmall.Host64,
	}
	r.ae.SetNoise(b, s.st, noise)

	base, sum := s.loss(b), 0.0
	for _, v := range r.st.Losses().Host64 {
		sum += v
	}
	for i, v := range r.st.VSmall().Host64 {
		sum += v * dVSmall.Host64[i]
	}
	// The loss weights reach the backend as float32 (ops take float32 scalars): 6e-8 relative.
	if math.Abs(sum-base) > 2e-7*math.Max(1, math.Abs(base)) {
		t.Fatalf("Losses sum to %.15g (with ⟨dVSmall, v_small⟩), the surrogate gives %.15g", sum, base)
	}

	var targets []gradcheck.Target
	for _, p := range r.set.List {
		n := len(p.Value.Host64)
		targets = append(targets, gradcheck.Target{Name: p.Name, Value: p.Value.Host64, Grad: p.Grad.Host64, Indices: rng.Perm(n)[:min(perTensor, n)]})
	}
	gradcheck.Check(t, func() float64 { return s.loss(b) }, targets)
}
