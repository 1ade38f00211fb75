package sphere

import (
	"math"
	"math/rand/v2"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
	"flowsphere/model/webgpu/webgputest"
)

// parityTol bounds |WebGPU − CPU| relative to the largest CPU magnitude of each compared
// tensor: float32 sums in another order through three passes of some hundred ops each; the
// measured worst is 2.5e-6 on lavapipe, and other devices (fused multiply-adds, other
// exp/tanh) may differ more.
const parityTol = 1e-4

// TestParity runs one full Forward and Backward (with a refiner gradient dVSmall) of the
// tiny config on WebGPU and on the CPU reference, with the same random parameters, images,
// noise and direction (both backends draw e from the same Philox stream), and compares the
// losses and every parameter gradient.
func TestParity(t *testing.T) {
	dev := webgputest.Open(t)
	ref := cpu.NewReference()
	const batch = 2
	cfg := preset(t, "tiny")
	noise := fixedNoise(cfg, batch)
	dv := make([]float32, batch*cfg.L())
	rng := rand.New(rand.NewPCG(6, 6))
	for i := range dv {
		dv[i] = float32(rng.NormFloat64())
	}
	run := func(b tensor.Backend) *rig {
		r := newRig(b, cfg, batch, 5, true)
		dVSmall := b.New(batch, cfg.L())
		b.Upload(dVSmall, dv)
		r.set.ZeroGrads(b)
		r.ae.SetNoise(b, r.st, noise)
		r.ae.Forward(b, r.st, r.x)
		r.ae.Backward(b, r.st, dVSmall)
		return r
	}
	rr, rd := run(ref), run(dev)
	worst := 0.0
	compare := func(name string, want, got *tensor.Tensor) {
		w, g := tensortest.Download(t, ref, want), tensortest.Download(t, dev, got)
		scale := 0.0
		for _, v := range w {
			scale = math.Max(scale, math.Abs(float64(v)))
		}
		for i := range w {
			d := math.Abs(float64(w[i] - g[i]))
			if !(d <= parityTol*scale+1e-7) {
				t.Errorf("%s[%d] = %g on WebGPU, %g on CPU (scale %g)", name, i, g[i], w[i], scale)
				return
			}
			if scale > 0 {
				worst = math.Max(worst, d/scale)
			}
		}
	}
	compare("losses", rr.st.Losses(), rd.st.Losses())
	compare("v_small", rr.st.VSmall(), rd.st.VSmall())
	compare("x_small", rr.st.XSmall(), rd.st.XSmall())
	for i, p := range rr.set.List {
		compare(p.Name+".grad", p.Grad, rd.set.List[i].Grad)
	}
	t.Logf("worst relative difference %.2g", worst)
}

// TestNoLeak runs 20 training steps (Forward, Backward, clip, AdamW, a loss readback every
// fifth step) on WebGPU: after the first step the live buffers (count and bytes) must stay
// the same.
func TestNoLeak(t *testing.T) {
	dev := webgputest.Open(t)
	const batch = 2
	cfg := preset(t, "tiny")
	r := newRig(dev, cfg, batch, 7, false)
	m, v, scale := dev.New(r.set.Size), dev.New(r.set.Size), dev.New(2)
	rng := rand.New(rand.NewPCG(1, 1))
	var first tensor.MemoryStats
	for step := 1; step <= 20; step++ {
		dev.Rand(r.st.Direction(), batch*cfg.L(), 9, uint64(step), tensor.Normal)
		r.set.ZeroGrads(dev)
		r.ae.SetNoise(dev, r.st, DrawNoise(cfg, rng, batch))
		r.ae.Forward(dev, r.st, r.x)
		r.ae.Backward(dev, r.st, nil)
		dev.GradClip(scale, r.set.Grads, r.set.Size, 1)
		dev.AdamW(r.set.Values, r.set.Grads, m, v, scale, r.set.Size, 1e-3, 0.9, 0.95, 1e-8, 0, step)
		if step%5 == 1 { // the first readback allocates the runtime's pooled staging buffer
			for _, l := range tensortest.Download(t, dev, r.st.Losses()) {
				if math.IsNaN(float64(l)) {
					t.Fatalf("step %d: loss is NaN", step)
				}
			}
		}
		if step == 1 {
			first = dev.Memory()
		} else if got := dev.Memory(); got != first {
			t.Fatalf("step %d: %+v live, after step 1: %+v", step, got, first)
		}
	}
	t.Logf("live after 20 steps: %+v", first)
}
