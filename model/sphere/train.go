package sphere

import (
	"fmt"

	"flowsphere/model/tensor"
)

// huberBeta is the SmoothL1 threshold of both pixel losses.
const huberBeta = 1

// SetNoise uploads the step's noise scales, for the next Forward.
func (ae *AE) SetNoise(b tensor.Backend, st *Step, n Noise) {
	if len(n.SigmaSmall) != st.batch || len(n.SigmaBig) != st.batch {
		panic(fmt.Sprintf("sphere: noise for %d and %d samples at batch %d", len(n.SigmaSmall), len(n.SigmaBig), st.batch))
	}
	b.Upload(st.small.sigma, n.SigmaSmall)
	b.Upload(st.big.sigma, n.SigmaBig)
}

// Forward runs the four passes of a training step and computes the per-row losses (see
// Step.Losses) and their gradients on the passes' outputs.
// x: [batch, Channels, Image, Image] in [-1, 1]; the noise scales (SetNoise) and the
// direction e (Step.Direction) must be set first.
func (ae *AE) Forward(b tensor.Backend, st *Step, x *tensor.Tensor) {
	c, bsz := ae.Cfg, st.batch
	l, pix := c.L(), c.Pixels()

	ae.enc.forward(b, st.enc, x)
	for _, br := range []*branch{&st.small, &st.big} {
		perturb(b, br.v, br.u, br.rstd, st.enc.v, st.e, br.sigma, st.ones, bsz, l)
		ae.dec.forward(b, br.dec, br.v)
	}
	xSmall, xBig := st.small.dec.img, st.big.dec.img
	b.SmoothL1(st.raw[lossRecon], st.small.dImg, xSmall, x, bsz, pix, huberBeta, st.scale[lossRecon])
	b.SmoothL1(st.raw[lossPixel], st.big.dImg, xBig, xSmall, bsz, pix, huberBeta, st.scale[lossPixel])
	ae.enc.forward(b, st.reenc, xBig)
	b.Cosine(st.raw[lossLatent], st.dReenc, st.dLat, st.reenc.v, st.enc.v, bsz, l, st.scale[lossLatent])

	for i, r := range st.raw {
		b.Copy2D(st.rawAll, r, 1, bsz, i*bsz, 0, 0, 0, false)
	}
	b.Fill(st.losses, 0) // so that a NaN of an earlier step cannot survive the zero beta
	b.RowAxpby(st.losses, st.rawAll, st.weights, st.zeros, numLosses, bsz)
}

// Backward adds the gradients of the total loss to every autoencoder parameter, in the
// order latent consistency → pixel consistency → reconstruction → first encoder pass.
// dVSmall: [batch, L] is an extra gradient on v_small from the refiner, or nil. Call it
// once after each Forward.
func (ae *AE) Backward(b tensor.Backend, st *Step, dVSmall *tensor.Tensor) {
	l := ae.Cfg.L()
	ae.enc.backward(b, st.reenc, st.dReenc, &st.g)
	b.Copy2D(st.dV, st.dLat, 1, st.batch*l, 0, 0, 0, 0, false)
	ae.branchBackward(b, st, &st.big, nil)
	ae.branchBackward(b, st, &st.small, dVSmall)
	ae.enc.backward(b, st.enc, st.dV, &st.g)
}

// branchBackward runs a noised decode backward, adds extra: [batch, L] (or nil) to the
// gradient on its sphere point and adds the result, through spherify, into st.dV (the
// noise term σ·e is constant, so ∂(v + σ·e)/∂v is the identity).
func (ae *AE) branchBackward(b tensor.Backend, st *Step, br *branch, extra *tensor.Tensor) {
	l := ae.Cfg.L()
	ae.dec.backward(b, br.dec, st.dvDec, br.dImg, &st.g)
	if extra != nil {
		b.Axpby(st.dvDec, extra, 1, 1)
	}
	b.SpherifyBackward(st.dU, st.dvDec, br.u, br.rstd, st.batch, l)
	b.Axpby(st.dV, st.dU, 1, 1)
}
