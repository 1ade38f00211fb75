package refiner

import (
	"math/rand/v2"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// tinyConfig is the tiny preset: 4×4 tokens of width 16, one refiner block.
func tinyConfig(t testing.TB) config.Config {
	t.Helper()
	c, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// microConfig is smaller than tiny, for float64 finite differences: 8×8 images in 2×2
// patches of 4, width 8, two heads of 4, two blocks (so block gradients chain).
func microConfig(t testing.TB) config.Config {
	c := tinyConfig(t)
	c.Image, c.Patch, c.Width, c.Heads, c.Hidden, c.RefBlocks, c.Latent, c.TimeDim = 8, 4, 8, 2, 8, 2, 2, 8
	return c
}

// params says how a rig sets the refiner's parameters.
type params int

const (
	initParams    params = iota // as New declares them (the zero inits of DESIGN.md §4.1)
	randomParams                // every parameter random, so no zero init hides a path
	zeroModParams               // random except the adaLN modulation linears, which stay zero
)

// rig is a refiner with inputs on a backend: clean images x, decode xDec, decoder tokens
// hidden and latent, all random (seeded), and host times t.
type rig struct {
	cfg                     config.Config
	set                     *nn.ParamSet
	ref                     *Refiner
	batch                   int
	x, xDec, hidden, latent *tensor.Tensor
	t                       []float32
	rng                     *rand.Rand
}

// newRig builds a refiner for cfg on b with batch images; the same seed gives the same
// parameters and inputs on every backend.
func newRig(b tensor.Backend, cfg config.Config, batch int, p params, seed uint64) *rig {
	r := &rig{cfg: cfg, set: &nn.ParamSet{}, batch: batch, rng: rand.New(rand.NewPCG(seed, 17))}
	r.ref = New(r.set, cfg)
	r.set.Allocate(b, seed)
	if p != initParams {
		zero := map[*nn.Param]bool{}
		if p == zeroModParams {
			for _, blk := range r.ref.Blocks {
				zero[blk.Mod.W], zero[blk.Mod.B] = true, true
			}
			zero[r.ref.FinalMod.W], zero[r.ref.FinalMod.B] = true, true
		}
		for _, q := range r.set.List {
			if !zero[q] {
				b.Upload(q.Value, r.normal(tensor.Numel(q.Shape), 0.3))
			}
		}
	}
	img := []int{batch, cfg.Channels, cfg.Image, cfg.Image}
	r.x, r.xDec = r.upload(b, 1, img...), r.upload(b, 1, img...)
	r.hidden = r.upload(b, 1, batch*cfg.Tokens(), cfg.Width)
	r.latent = r.upload(b, 1, batch, cfg.L())
	r.t = make([]float32, batch)
	for i := range r.t {
		r.t[i] = float32(i+1) / float32(batch+1)
	}
	return r
}

// normal draws n host values from N(0, scale²).
func (r *rig) normal(n int, scale float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.rng.NormFloat64() * scale)
	}
	return v
}

// upload makes a tensor of the given shape filled with N(0, scale²) draws.
func (r *rig) upload(b tensor.Backend, scale float64, shape ...int) *tensor.Tensor {
	t := b.New(shape...)
	b.Upload(t, r.normal(t.Len(), scale))
	return t
}
