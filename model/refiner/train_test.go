package refiner

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
)

// synthImages makes batch smooth colour patterns in [-1, 1]: [batch, 3, n, n].
func synthImages(batch, ch, n int) []float32 {
	out := make([]float32, 0, batch*ch*n*n)
	for b := range batch {
		for c := range ch {
			for y := range n {
				for x := range n {
					phase := float64(b) + 2*float64(c)
					out = append(out, float32(0.8*math.Sin(float64(x+b)*0.4+float64(y)*0.25*float64(c+1)+phase)))
				}
			}
		}
	}
	return out
}

// sumLoss downloads a step's per-row losses and returns their sum.
func sumLoss(t *testing.T, b tensor.Backend, fs *FlowStep) float64 {
	s := 0.0
	for _, v := range tensortest.Download(t, b, fs.Loss()) {
		s += float64(v)
	}
	return s
}

// TestFlowLossGoesDown trains the tiny refiner from its true init for 50 AdamW steps on four
// synthetic images with a fixed rough decode, decoder tokens and latent (random times and
// noise each step): the flow loss at fixed held-out times and noise must fall below a quarter.
func TestFlowLossGoesDown(t *testing.T) {
	b := cpu.New()
	cfg := tinyConfig(t)
	r := newRig(b, cfg, 4, initParams, 8)
	b.Upload(r.x, synthImages(r.batch, cfg.Channels, cfg.Image))
	b.Copy2D(r.xDec, r.x, 1, r.x.Len(), 0, 0, 0, 0, false)
	b.Axpby(r.xDec, r.upload(b, 0.3, r.x.Shape...), 1, 0.5) // xDec = x/2 + N(0, 0.3²)
	fs := r.ref.NewFlowStep(b, r.batch)
	m, v := b.New(r.set.Size), b.New(r.set.Size)
	evalTimes := []float32{0.1, 0.4, 0.6, 0.9}
	eval := func() float64 {
		b.Rand(fs.Noise(), fs.Noise().Len(), 99, 0, tensor.Normal)
		r.ref.SetTimes(b, fs, evalTimes)
		r.ref.FlowForward(b, fs, r.x, r.xDec, r.hidden, r.latent)
		return sumLoss(t, b, fs)
	}
	before := eval()
	rng := rand.New(rand.NewPCG(1, 2))
	for step := 1; step <= 50; step++ {
		r.set.ZeroGrads(b)
		b.Rand(fs.Noise(), fs.Noise().Len(), 1, uint64(step), tensor.Normal)
		r.ref.SetTimes(b, fs, DrawTimes(cfg, rng, r.batch))
		r.ref.FlowForward(b, fs, r.x, r.xDec, r.hidden, r.latent)
		r.ref.FlowBackward(b, fs, nil)
		b.AdamW(r.set.Values, r.set.Grads, m, v, nil, r.set.Size, 3e-3, 0.9, 0.95, 1e-8, 0, step)
	}
	after := eval()
	t.Logf("flow loss at fixed times and noise: %.4f before, %.4f after 50 steps", before, after)
	if !(after < 0.25*before) {
		t.Fatalf("flow loss %.4f → %.4f: not below a quarter", before, after)
	}
	// Trained blocks carry the conditioning to the image tokens: other decoder tokens or
	// another latent change the prediction (with dead blocks only x_t would).
	a := r.ref.NewActs(b, r.batch)
	predict := func(hidden, latent *tensor.Tensor) []float32 {
		r.ref.Forward(b, a, r.xDec, hidden, latent, evalTimes)
		return tensortest.Download(t, b, a.Pred())
	}
	base := predict(r.hidden, r.latent)
	for name, p := range map[string][]float32{
		"decoder tokens": predict(r.upload(b, 1, r.hidden.Shape...), r.latent),
		"latent":         predict(r.hidden, r.upload(b, 1, r.latent.Shape...)),
	} {
		if slices.Equal(base, p) {
			t.Errorf("the trained refiner ignores its %s", name)
		}
	}
}
