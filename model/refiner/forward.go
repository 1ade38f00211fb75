package refiner

import (
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// Acts keeps one call site's forward activations, at a fixed batch, for its backward.
type Acts struct {
	batch          int
	hidden, latent *tensor.Tensor // inputs of the last Forward (not owned)

	temb      *tensor.Tensor // time embedding [batch, TimeDim], uploaded
	c1        *tensor.Tensor // Time1 output [batch, E] (Time2 reads its SiLU)
	c, cond   *tensor.Tensor // Time2 output and cond = SiLU(c) [batch, E]
	patches   *tensor.Tensor // patches of x_t [batch·T, PatchDim]
	tok       *tensor.Tensor // one segment's tokens before the copy [batch·T, E]
	seq       *tensor.Tensor // the sequence [batch, 3T, E]
	blocks    []*nn.BlockActs
	img, rstd *tensor.Tensor // image tokens after the blocks [batch·T, E], final RMSNorm rstd [batch·T]
	mod       *tensor.Tensor // normalised and modulated image tokens [batch·T, E]
	fmod      *tensor.Tensor // final shift ‖ scale [batch, 2E]
	out       *tensor.Tensor // output patches [batch·T, PatchDim]
	pred      *tensor.Tensor // x̂ [batch, 3, H, W]
	all       owned
}

// NewActs allocates the activations of one call site for batch images.
func (r *Refiner) NewActs(b tensor.Backend, batch int) *Acts {
	c := r.Cfg
	e, bt, pd := c.Width, batch*c.Tokens(), c.PatchDim()
	a := &Acts{batch: batch}
	alloc := func(shape ...int) *tensor.Tensor { return a.all.alloc(b, shape...) }
	a.temb = alloc(batch, c.TimeDim)
	a.c1, a.c, a.cond = alloc(batch, e), alloc(batch, e), alloc(batch, e)
	a.patches, a.tok = alloc(bt, pd), alloc(bt, e)
	a.seq = alloc(batch, segments*c.Tokens(), e)
	for _, blk := range r.Blocks {
		a.blocks = append(a.blocks, blk.NewActs(b, batch, segments*c.Tokens()))
	}
	a.img, a.rstd, a.mod = alloc(bt, e), alloc(bt), alloc(bt, e)
	a.fmod, a.out = alloc(batch, 2*e), alloc(bt, pd)
	a.pred = alloc(batch, c.Channels, c.Image, c.Image)
	return a
}

// Pred is the x-prediction x̂ of the last Forward: [batch, 3, H, W].
func (a *Acts) Pred() *tensor.Tensor { return a.pred }

// Free releases the activations.
func (a *Acts) Free(b tensor.Backend) {
	a.all.free(b)
	for _, ba := range a.blocks {
		ba.Free(b)
	}
	a.blocks = nil
}

// Forward runs the refiner: x̂ = R(x_t, t | hidden, latent), left in a.Pred().
// xt: [batch, 3, H, W]; hidden: [batch·T, E] (detached: Backward gives it no gradient);
// latent: [batch, L] (token-major, read as [batch·T, Latent]); t: host [batch].
// hidden and latent are kept by reference until Backward.
func (r *Refiner) Forward(b tensor.Backend, a *Acts, xt, hidden, latent *tensor.Tensor, t []float32) {
	r.uploadTime(b, a, t)
	r.forward(b, a, xt, hidden, latent)
}

// uploadTime writes the time embedding of t: host [batch] into a. On device backends the
// write is recorded in order with the ops, so a sampler's calls share one submission.
func (r *Refiner) uploadTime(b tensor.Backend, a *Acts, t []float32) {
	if len(t) != a.batch {
		panic("refiner: time count differs from the batch")
	}
	b.Upload(a.temb, TimeEmbedding(t, r.Cfg.TimeDim))
}

// forward is Forward after the time upload.
func (r *Refiner) forward(b tensor.Backend, a *Acts, xt, hidden, latent *tensor.Tensor) {
	c := r.Cfg
	e, bsz, tk := c.Width, a.batch, c.Tokens()
	bt := bsz * tk
	a.hidden, a.latent = hidden, latent

	// Time conditioning: cond = SiLU(Time2(SiLU(Time1(emb(t))))).
	r.Time1.Forward(b, a.c1, a.temb, bsz)
	r.Time2.ForwardAct(b, a.c, a.c1, bsz, tensor.SiLU)
	b.Act(a.cond, a.c, bsz*e, tensor.SiLU)

	// The sequence [latent ‖ decoder ‖ image].
	b.Patchify(a.patches, xt, bsz, c.Channels, c.Image, c.Image, c.Patch)
	ins := [segments]*tensor.Tensor{segLatent: latent, segDecoder: hidden, segImage: a.patches}
	for i, sg := range r.segs {
		sg.forward(b, a.seq, a.tok, ins[i], bsz, tk)
	}
	x := a.seq
	for i, blk := range r.Blocks {
		blk.Forward(b, a.blocks[i], x, a.cond)
		x = a.blocks[i].Out
	}

	// Final layer on the image tokens: RMSNorm → adaLN (shift, scale) → linear → unpatchify.
	copySegment(b, x, a.img, bsz, tk, e, segImage, false)
	r.FinalMod.Forward(b, a.fmod, a.cond, bsz)
	b.NormModulate(a.mod, a.rstd, a.img, a.fmod, bsz, tk, e, 2*e, 0, e, normEps)
	r.Out.Forward(b, a.out, a.mod, bt)
	b.Unpatchify(a.pred, a.out, bsz, c.Channels, c.Image, c.Image, c.Patch)
}
