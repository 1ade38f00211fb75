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

// Step keeps one training step's activations at a fixed batch: the encoder on x, one
// decoder pass over both noised points (v_small in the first batch rows, v_big in the
// last: one pass of 2·batch records half the kernels of two), the encoder on D(v_big), the
// per-row losses and the loss gradients that Forward computes for Backward.
type Step struct {
	batch      int
	enc, reenc *encActs // encoder on x and on sg(D(v_big))
	noised     noised
	e          *tensor.Tensor // [B, L] the shared noise direction

	raw            [numLosses]*tensor.Tensor // unweighted per-row losses [B]
	rawAll, losses *tensor.Tensor            // [3, B] unweighted and weighted
	weights, zeros *tensor.Tensor            // [3] per-row weights and zeros, for RowAxpby
	scale          [numLosses]float32        // the weights on the host, also the gradient scales

	dReenc *tensor.Tensor // [B, L] latent-loss gradient on the re-encoded point
	dLat   *tensor.Tensor // [B, L] latent-loss gradient on v
	dV     *tensor.Tensor // [B, L] total gradient on v
	gEnc   grads          // the encoder passes' temporaries: views into gDec's, and dz
	gDec   grads          // the decoder pass's temporaries, at 2·batch
	owned
}

// noised holds both noised copies of the sphere point, v_n = spherify(v + σ_n·e), stacked
// as 2·batch rows (small first), and their decodes.
type noised struct {
	sigma *tensor.Tensor // [2B] σ_small ‖ σ_big
	ones  *tensor.Tensor // [2B] all 1
	e     *tensor.Tensor // [2B, L] the direction e, once per half
	u, v  *tensor.Tensor // [2B, L] v + σ·e and its spherified point
	rstd  *tensor.Tensor // [2B] 1/rms(u)
	dec   *decActs       // the decoder at batch 2B
	dImg  *tensor.Tensor // [2B, Channels, Image, Image] the loss gradient on the decodes
	dv    *tensor.Tensor // [2B, L] the decoder's input gradient
	dU    *tensor.Tensor // [2B, L] the gradient on v + σ·e

	// Views of the halves: the small point, its decode and hidden tokens, the big decode,
	// and the two halves of dImg.
	vSmall, xSmall, hSmall, xBig, dSmall, dBig *tensor.Tensor
}

// grads holds backward temporaries, shared by the passes of one size (which run one at a
// time).
type grads struct {
	g0, g1 *tensor.Tensor // token gradients [rows, E]
	dz     *tensor.Tensor // encoder gradient before spherify [B, L]
	dp     *tensor.Tensor // decoder output patch gradient [rows, PatchDim]
}

// NewStep allocates one training step's activations for batch images on b.
func (ae *AE) NewStep(b tensor.Backend, batch int) *Step {
	c := ae.Cfg
	bt, l := batch*c.Tokens(), c.L()
	st := &Step{batch: batch}
	st.enc, st.reenc = ae.enc.newActs(b, batch), ae.enc.newActs(b, batch)
	st.e = st.new(b, batch, l)
	st.noised = st.newNoised(ae, b, batch)

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
	st.gDec = grads{g0: st.new(b, 2*bt, c.Width), g1: st.new(b, 2*bt, c.Width), dp: st.new(b, 2*bt, c.PatchDim())}
	st.gEnc = grads{g0: b.View(st.gDec.g0, 0, bt, c.Width), g1: b.View(st.gDec.g1, 0, bt, c.Width), dz: st.new(b, batch, l)}
	return st
}

// newNoised allocates the stacked noised points and their decoder pass for batch images.
// Views into the second half need the image size (Channels·Image²) to be a multiple of the
// backend's alignment, as it is for every preset.
func (st *Step) newNoised(ae *AE, b tensor.Backend, batch int) noised {
	c := ae.Cfg
	l, pix := c.L(), c.Pixels()
	n := noised{
		sigma: st.new(b, 2*batch), ones: st.new(b, 2*batch), e: st.new(b, 2*batch, l),
		u: st.new(b, 2*batch, l), v: st.new(b, 2*batch, l), rstd: st.new(b, 2*batch),
		dec:  ae.dec.newActs(b, 2*batch),
		dImg: st.new(b, 2*batch, c.Channels, c.Image, c.Image),
		dv:   st.new(b, 2*batch, l), dU: st.new(b, 2*batch, l),
	}
	b.Fill(n.ones, 1)
	img := []int{batch, c.Channels, c.Image, c.Image}
	n.vSmall = b.View(n.v, 0, batch, l)
	n.xSmall, n.xBig = b.View(n.dec.img, 0, img...), b.View(n.dec.img, batch*pix, img...)
	n.dSmall, n.dBig = b.View(n.dImg, 0, img...), b.View(n.dImg, batch*pix, img...)
	n.hSmall = b.View(n.dec.hidden, 0, batch*c.Tokens(), c.Width)
	return n
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
func (st *Step) VSmall() *tensor.Tensor { return st.noised.vSmall }

// XSmall is D(v_small): [batch, Channels, Image, Image], the refiner's coupling image
// (detached: no gradient flows back through it).
func (st *Step) XSmall() *tensor.Tensor { return st.noised.xSmall }

// HSmall is the decoder's hidden tokens of D(v_small): [batch·Tokens, E], the refiner's
// context (detached).
func (st *Step) HSmall() *tensor.Tensor { return st.noised.hSmall }

// Free releases the step's activations. The layers' shared backward temporaries are
// released by AE.FreeScratch.
func (st *Step) Free(b tensor.Backend) {
	st.enc.free(b)
	st.reenc.free(b)
	st.noised.dec.free(b)
	st.owned.free(b)
}
