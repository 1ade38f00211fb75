package refiner

import (
	"math"

	"flowsphere/model/tensor"
)

// DefaultSteps is the step count NewSampler starts with.
const DefaultSteps = 4

// Sampler integrates the refiner's flow from x_start = r·ε + (1−r)·x̂0 at t = 0
// (DESIGN.md §4.5), at a fixed batch. The velocity is V(x, t) = (R(x, t) − x)/max(1−t, TEps)
// and dt = 1/Steps. Heun (the default) takes Steps−1 trapezoid steps
//
//	k1 = V(x, t),  x' = x + dt·k1,  k2 = V(x', t+dt),  x ← x + dt/2·(k1 + k2),  t ← t + dt
//
// and returns the x-prediction R(x, t) at t = (Steps−1)/Steps (for t ≤ 1−TEps the same as one
// Euler step to t = 1): 2·Steps − 1 network calls. With Euler it takes Steps−1 Euler steps
// x ← x + dt·V(x, t) and the same final x-prediction: Steps calls. Steps = 1 returns
// R(x_start, 0); Steps = 0 returns x̂0 itself (no refinement, no calls).
// The output is not clamped to [-1, 1]; the seed clamps only for display.
type Sampler struct {
	Steps int  // N, the number of steps
	Euler bool // Euler instead of Heun
	Calls int  // network calls made by the last Sample
	// AfterCall, when set, is called after each network call has been recorded, with the
	// calls made so far, so an app can show how far a slow sampling is.
	AfterCall func(calls int)

	acts          *Acts
	x, xp, k1, k2 *tensor.Tensor // state, Heun predictor, slopes: [batch, 3, H, W]
	t             []float32      // host times of one call [batch]
	all           owned
}

// PlannedCalls is the number of network calls Sample makes in steps steps (Euler if euler).
func PlannedCalls(steps int, euler bool) int {
	switch {
	case steps <= 0:
		return 0
	case euler:
		return steps
	}
	return 2*steps - 1
}

// NewSampler allocates a sampler for batch images, with DefaultSteps Heun steps.
func (r *Refiner) NewSampler(b tensor.Backend, batch int) *Sampler {
	c := r.Cfg
	s := &Sampler{Steps: DefaultSteps, acts: r.NewActs(b, batch), t: make([]float32, batch)}
	for _, p := range []**tensor.Tensor{&s.x, &s.xp, &s.k1, &s.k2} {
		*p = s.all.alloc(b, batch, c.Channels, c.Image, c.Image)
	}
	return s
}

// Free releases the sampler's state.
func (s *Sampler) Free(b tensor.Backend) {
	s.acts.Free(b)
	s.all.free(b)
}

// Sample refines x0 into out. out: [batch, 3, H, W] refined images; x0: [batch, 3, H, W]
// the autoencoder's decode; hidden: [batch·T, E] its decoder tokens; latent: [batch, L] the
// sphere point; eps: [batch, 3, H, W] noise the caller filled (Backend.Rand, Normal).
func (r *Refiner) Sample(b tensor.Backend, s *Sampler, out, x0, hidden, latent, eps *tensor.Tensor) {
	n := s.Steps
	s.Calls = 0
	if n <= 0 {
		copyAll(b, out, x0)
		return
	}
	copyAll(b, s.x, x0)
	b.Axpby(s.x, eps, float32(r.Cfg.Ratio), float32(1-r.Cfg.Ratio))
	dt := 1 / float64(n)
	for k := range n - 1 {
		t0, t1 := float64(k)/float64(n), float64(k+1)/float64(n) // exact grid times, no drift
		r.velocity(b, s, s.k1, s.x, hidden, latent, t0)
		if s.Euler {
			b.Axpby(s.x, s.k1, float32(dt), 1)
			continue
		}
		copyAll(b, s.xp, s.x)
		b.Axpby(s.xp, s.k1, float32(dt), 1)
		r.velocity(b, s, s.k2, s.xp, hidden, latent, t1)
		b.Axpby(s.x, s.k1, float32(dt/2), 1)
		b.Axpby(s.x, s.k2, float32(dt/2), 1)
	}
	r.call(b, s, s.x, hidden, latent, float64(n-1)/float64(n))
	copyAll(b, out, s.acts.Pred())
}

// velocity writes V(x, t) = (R(x, t) − x)/max(1−t, TEps) into v. v, x: [batch, 3, H, W];
// hidden, latent as in Forward.
func (r *Refiner) velocity(b tensor.Backend, s *Sampler, v, x, hidden, latent *tensor.Tensor, t float64) {
	r.call(b, s, x, hidden, latent, t)
	inv := float32(1 / math.Max(1-t, r.Cfg.TEps))
	copyAll(b, v, s.acts.Pred())
	b.Axpby(v, x, -inv, inv)
}

// call runs the refiner once on x: [batch, 3, H, W] at time t (every sample at the same t)
// and counts it; the result is in s.acts.Pred().
func (r *Refiner) call(b tensor.Backend, s *Sampler, x, hidden, latent *tensor.Tensor, t float64) {
	for i := range s.t {
		s.t[i] = float32(t)
	}
	r.Forward(b, s.acts, x, hidden, latent, s.t)
	s.Calls++
	if s.AfterCall != nil {
		s.AfterCall(s.Calls)
	}
}
