package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/nn"
	"flowsphere/model/nn/gradcheck"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
	"flowsphere/model/webgpu/webgputest"
)

// blockCase is a block configuration with its input size.
type blockCase struct {
	name          string
	cfg           nn.BlockConfig
	batch, tokens int
}

// tinyBlocks are small enough for a float64 finite-difference check of every parameter.
var tinyBlocks = []blockCase{
	{"plain", nn.BlockConfig{Width: 8, Heads: 2, Hidden: 6, GridH: 2, GridW: 2, Base: 100}, 2, 4},
	{"adaLN, two segments", nn.BlockConfig{Width: 8, Heads: 2, Hidden: 5, GridH: 2, GridW: 2, Cond: 3, Base: 100}, 2, 8},
}

// blockRig is a block with random parameters, inputs and upstream gradient on a backend.
type blockRig struct {
	set             *nn.ParamSet
	blk             *nn.Block
	acts            *nn.BlockActs
	x, cond, dOut   *tensor.Tensor
	dX, dCond       *tensor.Tensor
	xHost, condHost []float32
	dOutHost        []float32
}

// newBlockRig builds bc on b. Every parameter is random (not the zero init), so that every
// gradient path carries signal.
func newBlockRig(b tensor.Backend, bc blockCase, seed uint64) *blockRig {
	r := newFreshBlockRig(b, bc, seed)
	rng := rand.New(rand.NewPCG(seed, 4))
	for _, p := range r.set.List {
		v := make([]float32, tensor.Numel(p.Shape))
		for i := range v {
			v[i] = float32(rng.NormFloat64() * 0.4)
		}
		b.Upload(p.Value, v)
	}
	return r
}

// newFreshBlockRig builds bc on b with its parameters as NewBlock initialises them and random
// inputs and upstream gradient.
func newFreshBlockRig(b tensor.Backend, bc blockCase, seed uint64) *blockRig {
	rng := rand.New(rand.NewPCG(seed, 3))
	normal := func(n int, scale float64) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * scale)
		}
		return v
	}
	r := &blockRig{set: &nn.ParamSet{}}
	r.blk = nn.NewBlock(r.set, "blk", bc.cfg)
	r.set.Allocate(b, seed)
	e, bt := bc.cfg.Width, bc.batch*bc.tokens
	r.acts = r.blk.NewActs(b, bc.batch, bc.tokens)
	r.xHost, r.dOutHost = normal(bt*e, 1), normal(bt*e, 1)
	r.x, r.dOut, r.dX = b.New(bt, e), b.New(bt, e), b.New(bt, e)
	b.Upload(r.x, r.xHost)
	b.Upload(r.dOut, r.dOutHost)
	if bc.cfg.Cond > 0 {
		r.condHost = normal(bc.batch*bc.cfg.Cond, 1)
		r.cond, r.dCond = b.New(bc.batch, bc.cfg.Cond), b.New(bc.batch, bc.cfg.Cond)
		b.Upload(r.cond, r.condHost)
	}
	return r
}

// step runs forward and backward once with fresh gradients.
func (r *blockRig) step(b tensor.Backend) {
	r.set.ZeroGrads(b)
	if r.dCond != nil {
		b.Fill(r.dCond, 0)
	}
	r.blk.Forward(b, r.acts, r.x, r.cond)
	r.blk.Backward(b, r.acts, r.dX, r.dOut, r.dCond)
}

// TestBlockGradient checks the whole block's backward against central differences of
// L = ⟨dOut, block(x)⟩, computed in float64 on the CPU backend.
func TestBlockGradient(t *testing.T) {
	for _, bc := range tinyBlocks {
		t.Run(bc.name, func(t *testing.T) {
			b := cpu.New64()
			r := newBlockRig(b, bc, 11)
			r.step(b)
			loss := func() float64 {
				r.blk.Forward(b, r.acts, r.x, r.cond)
				out, dOut := r.acts.Out.Host64, r.dOut.Host64
				s := 0.0
				for i := range out {
					s += out[i] * dOut[i]
				}
				return s
			}
			targets := []gradcheck.Target{{Name: "x", Value: r.x.Host64, Grad: r.dX.Host64}}
			if r.cond != nil {
				targets = append(targets, gradcheck.Target{Name: "cond", Value: r.cond.Host64, Grad: r.dCond.Host64})
			}
			for _, p := range r.set.List {
				targets = append(targets, gradcheck.Target{Name: p.Name, Value: p.Value.Host64, Grad: p.Grad.Host64})
			}
			gradcheck.Check(t, loss, targets)
		})
	}
}

// TestFreshBlockLearns takes plain gradient steps on L = ⟨dOut, block(x)⟩ from the
// initialisation and checks that by the second step every parameter has a gradient: no zero
// initialisation may be a fixed point (a zero adaLN gate in front of a zero output layer is
// one: each one's gradient is scaled by the other).
func TestFreshBlockLearns(t *testing.T) {
	for _, bc := range tinyBlocks {
		t.Run(bc.name, func(t *testing.T) {
			b := cpu.New()
			r := newFreshBlockRig(b, bc, 13)
			for range 2 {
				r.step(b)
				b.Axpby(r.set.Values, r.set.Grads, -0.1, 1)
			}
			r.step(b)
			for _, p := range r.set.List {
				stuck := true
				for _, g := range tensortest.Download(t, b, p.Grad) {
					stuck = stuck && g == 0
				}
				if stuck {
					t.Errorf("%s: zero gradient after two steps from the initialisation", p.Name)
				}
			}
		})
	}
}

// TestBlockParity runs the same block forward and backward on WebGPU and the CPU reference.
// The tolerance allows for float32 sums in another order through some twenty ops: errors
// grow to ~1e-4 relative to the outputs' scale.
func TestBlockParity(t *testing.T) {
	dev := webgputest.Open(t)
	cases := append([]blockCase{
		{"model width", nn.BlockConfig{Width: 128, Heads: 4, Hidden: 344, GridH: 8, GridW: 8, Base: 100}, 2, 64},
		{"model width adaLN three segments", nn.BlockConfig{Width: 128, Heads: 4, Hidden: 344, GridH: 8, GridW: 8, Cond: 128, Base: 100}, 2, 192},
	}, tinyBlocks...)
	for _, bc := range cases {
		t.Run(bc.name, func(t *testing.T) {
			ref := cpu.NewReference()
			rr, rd := newBlockRig(ref, bc, 5), newBlockRig(dev, bc, 5)
			rr.step(ref)
			rd.step(dev)
			compare := func(name string, want, got *tensor.Tensor) {
				w, g := tensortest.Download(t, ref, want), tensortest.Download(t, dev, got)
				scale := 0.0
				for _, v := range w {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				for i := range w {
					if d := math.Abs(float64(w[i] - g[i])); !(d <= 1e-4*scale+1e-6) {
						t.Errorf("%s[%d] = %g on WebGPU, %g on CPU (scale %g)", name, i, g[i], w[i], scale)
						return
					}
				}
			}
			compare("out", rr.acts.Out, rd.acts.Out)
			compare("dX", rr.dX, rd.dX)
			if rr.dCond != nil {
				compare("dCond", rr.dCond, rd.dCond)
			}
			for i, p := range rr.set.List {
				compare(p.Name+".grad", p.Grad, rd.set.List[i].Grad)
			}
		})
	}
}

// TestBlockNoLeak runs 200 forward/backward/AdamW steps on WebGPU: after the first step the
// live buffers (count and bytes) must stay the same.
func TestBlockNoLeak(t *testing.T) {
	dev := webgputest.Open(t)
	bc := blockCase{"leak", nn.BlockConfig{Width: 32, Heads: 2, Hidden: 40, GridH: 4, GridW: 4, Cond: 16, Base: 100}, 2, 32}
	r := newBlockRig(dev, bc, 7)
	m, v := dev.New(r.set.Size), dev.New(r.set.Size)
	scale := dev.New(2)
	var first tensor.MemoryStats
	for step := 1; step <= 200; step++ {
		r.step(dev)
		dev.GradClip(scale, r.set.Grads, r.set.Size, 1)
		dev.AdamW(r.set.Values, r.set.Grads, m, v, scale, r.set.Size, 1e-3, 0.9, 0.95, 1e-8, 0, step)
		out := tensortest.Download(t, dev, scale)
		if math.IsNaN(float64(out[0])) {
			t.Fatalf("step %d: clip scale is NaN", step)
		}
		if step == 1 {
			first = dev.Memory()
		} else if got := dev.Memory(); got != first {
			t.Fatalf("step %d: %+v live, after step 1: %+v", step, got, first)
		}
	}
	t.Logf("live after 200 steps: %s", fmt.Sprintf("%+v", first))
}
