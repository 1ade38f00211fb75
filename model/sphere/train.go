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
	b.Upload(st.noised.sigma, append(append([]float32(nil), n.SigmaSmall...), n.SigmaBig...))
}

// Forward runs the passes of a training step (the encoder on x, one decoder pass over both
// noised points, the encoder on D(v_big)) and computes the per-row losses (see
// Step.Losses) and their gradients on the passes' outputs.
// x: [batch, Channels, Image, Image] in [-1, 1]; the noise scales (SetNoise) and the
// direction e (Step.Direction) must be set first.
func (ae *AE) Forward(b tensor.Backend, st *Step, x *tensor.Tensor) {
	c, bsz := ae.Cfg, st.batch
	l, pix := c.L(), c.Pixels()
	n := &st.noised

	ae.enc.forward(b, st.enc, x)
	n.perturb(b, st.enc.v, st.e, bsz, l)
	ae.dec.forward(b, n.dec, n.v)
	b.SmoothL1(st.raw[lossRecon], n.dSmall, n.xSmall, x, bsz, pix, huberBeta, st.scale[lossRecon])
	b.SmoothL1(st.raw[lossPixel], n.dBig, n.xBig, n.xSmall, bsz, pix, huberBeta, st.scale[lossPixel])
	ae.enc.forward(b, st.reenc, n.xBig)
	b.Cosine(st.raw[lossLatent], st.dReenc, st.dLat, st.reenc.v, st.enc.v, bsz, l, st.scale[lossLatent])

	for i, r := range st.raw {
		b.Copy2D(st.rawAll, r, 1, bsz, i*bsz, 0, 0, 0, false)
	}
	b.Fill(st.losses, 0) // so that a NaN of an earlier step cannot survive the zero beta
	b.RowAxpby(st.losses, st.rawAll, st.weights, st.zeros, numLosses, bsz)
}

// Backward adds the gradients of the total loss to every autoencoder parameter, in the
// order latent consistency → both decodes (pixel consistency and reconstruction) → first
// encoder pass. dVSmall: [batch, L] is an extra gradient on v_small from the refiner, or
// nil. Call it once after each Forward.
func (ae *AE) Backward(b tensor.Backend, st *Step, dVSmall *tensor.Tensor) {
	bl := st.batch * ae.Cfg.L()
	n := &st.noised
	ae.enc.backward(b, st.reenc, st.dReenc, &st.gEnc)
	ae.dec.backward(b, n.dec, n.dv, n.dImg, &st.gDec)
	if dVSmall != nil {
		b.Copy2D(n.dv, dVSmall, 1, bl, 0, 0, 0, 0, true)
	}
	b.SpherifyBackward(n.dU, n.dv, n.u, n.rstd, 2*st.batch, ae.Cfg.L())
	// The noise term σ·e is constant, so ∂(v + σ·e)/∂v is the identity: both halves of dU
	// add into the gradient on v.
	b.Copy2D(st.dV, st.dLat, 1, bl, 0, 0, 0, 0, false)
	b.Copy2D(st.dV, n.dU, 1, bl, 0, 0, 0, 0, true)
	b.Copy2D(st.dV, n.dU, 1, bl, 0, 0, bl, 0, true)
	ae.enc.backward(b, st.enc, st.dV, &st.gEnc)
}
