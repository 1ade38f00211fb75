package sphere

import (
	"flowsphere/model/tensor"
)

// The rows of Step.Losses.
const (
	lossRecon  = iota // SmoothL1(D(v_small), x)
	lossPixel         // PixelWeight·SmoothL1(D(v_big), sg(D(v_small)))
	lossLatent        // LatentWeight·(1 − cos(E(sg(D(v_big))), v))
	numLosses
)

// Step keeps one training step's activations at a fixed batch: the four passes (encoder on
// x, decoder on v_small, decoder on v_big, encoder on D(v_big)) each with its own
// activations, the noised sphere points, the per-row losses and the loss gradients that
// Forward computes for Backward.
type Step struct {
	batch      int
	enc, reenc *encActs // encoder on x and on sg(D(v_big))
	small, big branch   // v_small and v_big with their decodes
	e, ones    *tensor.Tensor

	raw            [numLosses]*tensor.Tensor // unweighted per-row losses [B]
	rawAll, losses *tensor.Tensor            // [3, B] unweighted and weighted
	weights, zeros *tensor.Tensor            // [3] per-row weights and zeros, for RowAxpby
	scale          [numLosses]float32        // the weights on the host, also the gradient scales

	dReenc *tensor.Tensor // [B, L] latent-loss gradient on the re-encoded point
	dLat   *tensor.Tensor // [B, L] latent-loss gradient on v
	dV     *tensor.Tensor // [B, L] total gradient on v
	dvDec  *tensor.Tensor // [B, L] a decoder pass's input gradient
	dU     *tensor.Tensor // [B, L] gradient on v + σ·e
	g      grads
	owned
}

// branch is one noised copy of the sphere point and its decode: v_n = spherify(v + σ·e).
type branch struct {
	sigma *tensor.Tensor // [B] σ per sample
	u, v  *tensor.Tensor // [B, L] v + σ·e and its spherified point
	rstd  *tensor.Tensor // [B] 1/rms(u)
	dec   *decActs
	dImg  *tensor.Tensor // [B, Channels, Image, Image] the loss gradient on D(v_n)
}

// grads holds the backward temporaries, shared by the four passes (which run one at a time).
type grads struct {
	g0, g1 *tensor.Tensor // token gradients [BT, E]
	dz     *tensor.Tensor // encoder gradient before spherify [B, L]
	dp     *tensor.Tensor // decoder output patch gradient [BT, PatchDim]
}

// NewStep allocates one training step's activations for batch images on b.
func (ae *AE) NewStep(b tensor.Backend, batch int) *Step {
	c := ae.Cfg
	bt, l := batch*c.Tokens(), c.L()
	st := &Step{batch: batch}
	st.enc, st.reenc = ae.enc.newActs(b, batch), ae.enc.newActs(b, batch)
	for _, br := range []*branch{&st.small, &st.big} {
		br.sigma, br.u, br.v, br.rstd = st.new(b, batch), st.new(b, batch, l), st.new(b, batch, l), st.new(b, batch)
		br.dec = ae.dec.newActs(b, batch)
		br.dImg = st.new(b, batch, c.Channels, c.Image, c.Image)
	}
	st.e, st.ones = st.new(b, batch, l), st.new(b, batch)
	b.Fill(st.ones, 1)

	for i := range st.raw {
		st.raw[i] = st.new(b, batch)
	}
	st.rawAll, st.losses = st.new(b, numLosses, batch), st.new(b, numLosses, batch)
	perPixel := float64(batch * c.Pixels())
	st.scale = [numLosses]float32{
		lossRecon:  float32(1 / perPixel),
		lossPixel:  float32(c.PixelWeight / perPixel),
		lossLatent: float32(c.LatentWeight / float64(batch)),
	}
	st.weights, st.zeros = st.new(b, numLosses), st.new(b, numLosses)
	b.Upload(st.weights, st.scale[:])

	st.dReenc, st.dLat, st.dV = st.new(b, batch, l), st.new(b, batch, l), st.new(b, batch, l)
	st.dvDec, st.dU = st.new(b, batch, l), st.new(b, batch, l)
	st.g = grads{g0: st.new(b, bt, c.Width), g1: st.new(b, bt, c.Width), dz: st.new(b, batch, l), dp: st.new(b, bt, c.PatchDim())}
	return st
}

// Direction is the shared noise direction e: [batch, L], for the caller to fill with
// b.Rand(…, tensor.Normal) before each Forward.
func (st *Step) Direction() *tensor.Tensor { return st.e }

// Losses holds the last Forward's per-row losses: [3, batch], rows reconstruction, pixel
// consistency and latent consistency, each entry that row's weighted contribution, so the
// total loss is the sum of all entries.
func (st *Step) Losses() *tensor.Tensor { return st.losses }

// VSmall is the small-noise sphere point v_small: [batch, L], the refiner's latent input;
// its gradient enters through Backward's dVSmall.
func (st *Step) VSmall() *tensor.Tensor { return st.small.v }

// XSmall is D(v_small): [batch, Channels, Image, Image], the refiner's coupling image
// (detached: no gradient flows back through it).
func (st *Step) XSmall() *tensor.Tensor { return st.small.dec.img }

// HSmall is the decoder's hidden tokens of D(v_small): [batch·Tokens, E], the refiner's
// context (detached).
func (st *Step) HSmall() *tensor.Tensor { return st.small.dec.hidden }

// Free releases the step's activations. The layers' shared backward temporaries are
// released by AE.FreeScratch.
func (st *Step) Free(b tensor.Backend) {
	st.enc.free(b)
	st.reenc.free(b)
	st.small.dec.free(b)
	st.big.dec.free(b)
	st.owned.free(b)
}
