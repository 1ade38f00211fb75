package refiner

import (
	"math"
	"math/rand/v2"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
	"flowsphere/model/webgpu/webgputest"
)

// parityTol is the WebGPU-vs-CPU tolerance relative to each output's largest magnitude:
// float32 sums in another order through some fifty ops (a block, the segment and final
// layers, the loss, two sampler calls). On lavapipe the worst seen is 1e-6 of the scale (the
// QK-norm gain's gradient); nn's block parity allows 1e-4 for other devices' reduction
// orders, and so does this.
const parityTol = 1e-4

// compareParity fails t when got (on dev) and want (on ref) differ beyond parityTol.
func compareParity(t *testing.T, name string, ref, dev tensor.Backend, want, got *tensor.Tensor) {
	t.Helper()
	w, g := tensortest.Download(t, ref, want), tensortest.Download(t, dev, got)
	scale := 0.0
	for _, v := range w {
		scale = math.Max(scale, math.Abs(float64(v)))
	}
	for i := range w {
		if d := math.Abs(float64(w[i] - g[i])); !(d <= parityTol*scale+1e-6) {
			t.Errorf("%s[%d] = %g on WebGPU, %g on CPU (scale %g)", name, i, g[i], w[i], scale)
			return
		}
	}
}

// TestFlowParity runs FlowForward and FlowBackward at the tiny size on WebGPU and on the CPU
// reference and compares x̂, the loss, dLatent and every parameter gradient.
func TestFlowParity(t *testing.T) {
	dev := webgputest.Open(t)
	ref := cpu.NewReference()
	type side struct {
		b       tensor.Backend
		r       *rig
		fs      *FlowStep
		dLatent *tensor.Tensor
	}
	times := []float32{0.2, 0.98}
	sides := []*side{{b: ref}, {b: dev}}
	for _, s := range sides {
		s.r = newRig(s.b, tinyConfig(t), 2, randomParams, 10)
		s.fs = s.r.ref.NewFlowStep(s.b, 2)
		s.dLatent = s.b.New(2, s.r.cfg.L())
		s.r.ref.SetTimes(s.b, s.fs, times)
		s.b.Rand(s.fs.Noise(), s.fs.Noise().Len(), 3, 0, tensor.Normal)
		s.r.set.ZeroGrads(s.b)
		s.r.ref.FlowForward(s.b, s.fs, s.r.x, s.r.xDec, s.r.hidden, s.r.latent)
		s.r.ref.FlowBackward(s.b, s.fs, s.dLatent)
	}
	c, g := sides[0], sides[1]
	compareParity(t, "pred", ref, dev, c.fs.acts.Pred(), g.fs.acts.Pred())
	compareParity(t, "loss", ref, dev, c.fs.Loss(), g.fs.Loss())
	compareParity(t, "dLatent", ref, dev, c.dLatent, g.dLatent)
	for i, p := range c.r.set.List {
		compareParity(t, p.Name+".grad", ref, dev, p.Grad, g.r.set.List[i].Grad)
	}
}

// TestSampleParity runs one two-step Heun Sample on both backends.
func TestSampleParity(t *testing.T) {
	dev := webgputest.Open(t)
	ref := cpu.NewReference()
	var outs []*tensor.Tensor
	for _, b := range []tensor.Backend{ref, dev} {
		sr := newSamplerRig(b, t, 11)
		s := sr.ref.NewSampler(b, sr.batch)
		s.Steps = 2
		sr.ref.Sample(b, s, sr.out, sr.x0, sr.hidden, sr.latent, sr.eps)
		outs = append(outs, sr.out)
	}
	compareParity(t, "sample", ref, dev, outs[0], outs[1])
}

// TestFlowNoLeak runs 20 flow training steps (noise, forward, backward, clip, AdamW) and a
// sample on WebGPU: after the first step the live buffers must stay the same.
func TestFlowNoLeak(t *testing.T) {
	dev := webgputest.Open(t)
	sr := newSamplerRig(dev, t, 12)
	cfg := sr.cfg
	fs := sr.ref.NewFlowStep(dev, sr.batch)
	s := sr.ref.NewSampler(dev, sr.batch)
	dLatent := dev.New(sr.batch, cfg.L())
	m, v, scale := dev.New(sr.set.Size), dev.New(sr.set.Size), dev.New(2)
	rng := rand.New(rand.NewPCG(5, 6))
	var first tensor.MemoryStats
	for step := 1; step <= 20; step++ {
		sr.set.ZeroGrads(dev)
		dev.Rand(fs.Noise(), fs.Noise().Len(), 1, uint64(step), tensor.Normal)
		sr.ref.SetTimes(dev, fs, DrawTimes(cfg, rng, sr.batch))
		sr.ref.FlowForward(dev, fs, sr.x, sr.xDec, sr.hidden, sr.latent)
		sr.ref.FlowBackward(dev, fs, dLatent)
		dev.GradClip(scale, sr.set.Grads, sr.set.Size, 1)
		dev.AdamW(sr.set.Values, sr.set.Grads, m, v, scale, sr.set.Size, 1e-3, 0.9, 0.95, 1e-8, 0, step)
		sr.ref.Sample(dev, s, sr.out, sr.x0, sr.hidden, sr.latent, sr.eps)
		if loss := sumLoss(t, dev, fs); math.IsNaN(loss) {
			t.Fatalf("step %d: loss is NaN", step)
		}
		tensortest.Download(t, dev, sr.out)
		if step == 1 {
			first = dev.Memory()
		} else if got := dev.Memory(); got != first {
			t.Fatalf("step %d: %+v live, after step 1: %+v", step, got, first)
		}
	}
	t.Logf("live after 20 steps: %+v", first)
}
