package cpu_test

import (
	"math/rand/v2"

	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// rigConfig is a small DiT block (adaLN on) whose ops all split into several chunks on two
// threads: 128 token rows of width 64, two heads of 32, SwiGLU hidden 96.
var rigConfig = nn.BlockConfig{Width: 64, Heads: 2, Hidden: 96, GridH: 8, GridW: 8, Cond: 32, Base: 100}

// rigBatch and rigTokens size the rig's input.
const rigBatch, rigTokens = 2, 64

// blockRig is everything one training step of a block touches on a backend: parameters with
// random values (so every gradient carries signal), AdamW state, inputs and the upstream
// gradient.
type blockRig struct {
	set             *nn.ParamSet
	blk             *nn.Block
	acts            *nn.BlockActs
	x, cond, dOut   *tensor.Tensor // [B·T, E], [B, Cond], [B·T, E]
	dX, dCond       *tensor.Tensor // [B·T, E], [B, Cond]
	m, v, clipScale *tensor.Tensor // AdamW moments [Size] and the clip scale [2]
	steps           int
}

// newBlockRig builds the rig on b with contents drawn from seed.
func newBlockRig(b tensor.Backend, seed uint64) *blockRig {
	rng := rand.New(rand.NewPCG(seed, 9))
	normal := func(n int, scale float64) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * scale)
		}
		return v
	}
	upload := func(t *tensor.Tensor, scale float64) *tensor.Tensor {
		b.Upload(t, normal(t.Len(), scale))
		return t
	}
	e, bt := rigConfig.Width, rigBatch*rigTokens
	r := &blockRig{set: &nn.ParamSet{}}
	r.blk = nn.NewBlock(r.set, "blk", rigConfig)
	r.set.Allocate(b, seed)
	for _, p := range r.set.List {
		upload(p.Value, 0.2)
	}
	r.acts = r.blk.NewActs(b, rigBatch, rigTokens)
	r.x, r.dOut, r.dX = upload(b.New(bt, e), 1), upload(b.New(bt, e), 1), b.New(bt, e)
	r.cond, r.dCond = upload(b.New(rigBatch, rigConfig.Cond), 1), b.New(rigBatch, rigConfig.Cond)
	r.m, r.v, r.clipScale = b.New(r.set.Size), b.New(r.set.Size), b.New(2)
	return r
}

// forwardBackward runs the block forward and backward with fresh gradients.
func (r *blockRig) forwardBackward(b tensor.Backend) {
	r.set.ZeroGrads(b)
	b.Fill(r.dCond, 0)
	r.blk.Forward(b, r.acts, r.x, r.cond)
	r.blk.Backward(b, r.acts, r.dX, r.dOut, r.dCond)
}

// step is one training step: forward, backward, gradient clipping and AdamW.
func (r *blockRig) step(b tensor.Backend) {
	r.forwardBackward(b)
	r.steps++
	b.GradClip(r.clipScale, r.set.Grads, r.set.Size, 1)
	b.AdamW(r.set.Values, r.set.Grads, r.m, r.v, r.clipScale, r.set.Size, 1e-3, 0.9, 0.95, 1e-8, 0.01, r.steps)
}
