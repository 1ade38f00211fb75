package refiner

import "flowsphere/model/tensor"

// gradScratch holds the backward's temporaries for one batch size, shared by every Acts of
// that size since backward calls run one at a time.
type gradScratch struct {
	dPatch    *tensor.Tensor    // [batch·T, PatchDim]
	dTokA     *tensor.Tensor    // [batch·T, E]
	dTokB     *tensor.Tensor    // [batch·T, E]
	dSeq      [2]*tensor.Tensor // ping-pong sequence gradients [batch, 3T, E]
	dFmod     *tensor.Tensor    // [batch, 2E]
	dCond, dC *tensor.Tensor    // [batch, E]
	all       owned
}

// scratchFor returns the backward temporaries for batch, allocating them on first use.
func (r *Refiner) scratchFor(b tensor.Backend, batch int) *gradScratch {
	if s := r.scratch[batch]; s != nil {
		return s
	}
	c := r.Cfg
	e, bt := c.Width, batch*c.Tokens()
	s := &gradScratch{}
	alloc := func(shape ...int) *tensor.Tensor { return s.all.alloc(b, shape...) }
	s.dPatch, s.dTokA, s.dTokB = alloc(bt, c.PatchDim()), alloc(bt, e), alloc(bt, e)
	s.dSeq = [2]*tensor.Tensor{alloc(batch, segments*c.Tokens(), e), alloc(batch, segments*c.Tokens(), e)}
	s.dFmod, s.dCond, s.dC = alloc(batch, 2*e), alloc(batch, e), alloc(batch, e)
	r.scratch[batch] = s
	return s
}

// Backward propagates dPred: [batch, 3, H, W] through the call recorded in a: it adds into
// every parameter gradient and overwrites dLatent: [batch, L] (nil skips it). The decoder
// tokens and x_t get no gradient (hidden is detached; x_t is built from data and noise).
func (r *Refiner) Backward(b tensor.Backend, a *Acts, dPred, dLatent *tensor.Tensor) {
	c := r.Cfg
	e, bsz, tk := c.Width, a.batch, c.Tokens()
	bt := bsz * tk
	s := r.scratchFor(b, bsz)

	// Final layer. FinalMod's backward overwrites dCond; the blocks then add into it.
	b.Patchify(s.dPatch, dPred, bsz, c.Channels, c.Image, c.Image, c.Patch)
	r.Out.Backward(b, s.dTokA, s.dPatch, a.mod, bt, false)
	b.NormModulateBackward(s.dTokB, s.dFmod, s.dTokA, nil, a.img, a.fmod, a.rstd, bsz, tk, e, 2*e, 0, e)
	r.FinalMod.Backward(b, s.dCond, s.dFmod, a.cond, bsz, false)

	// Only the image tokens are read out: the other segments start with zero gradient.
	cur := 0
	b.Fill(s.dSeq[cur], 0)
	copySegment(b, s.dSeq[cur], s.dTokB, bsz, tk, e, segImage, true)
	for i := len(r.Blocks) - 1; i >= 0; i-- {
		r.Blocks[i].Backward(b, a.blocks[i], s.dSeq[1-cur], s.dSeq[cur], s.dCond)
		cur = 1 - cur
	}

	// Segments: only the latent passes its gradient on.
	dIns := [segments]*tensor.Tensor{segLatent: dLatent}
	ins := [segments]*tensor.Tensor{segLatent: a.latent, segDecoder: a.hidden, segImage: a.patches}
	for i, sg := range r.segs {
		sg.backward(b, dIns[i], s.dTokA, s.dSeq[cur], ins[i], bsz, tk)
	}

	// Time MLP: cond = SiLU(c), c = Time2(SiLU(c1)), c1 = Time1(temb); dCond, once read,
	// holds d c1.
	b.ActBackward(s.dC, s.dCond, a.c, bsz*e, tensor.SiLU)
	r.Time2.BackwardAct(b, s.dCond, s.dC, a.c1, bsz, false, tensor.SiLU)
	r.Time1.Backward(b, nil, s.dCond, a.temb, bsz, false)
}
