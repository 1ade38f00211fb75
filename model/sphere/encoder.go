package sphere

import (
	"flowsphere/model/config"
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// encoder maps images to sphere points: patchify → linear PatchDim→E + 2-D sin-cos position
// → EncBlocks blocks → mixer → linear E→Latent per token → flat z: [B, L] → v = spherify(z).
type encoder struct {
	cfg    config.Config
	embed  *nn.Linear // PatchDim→E, bias
	blocks []*nn.Block
	mixer  *nn.Mixer
	head   *nn.Linear // E→Latent, no bias
}

func newEncoder(s *nn.ParamSet, cfg config.Config) *encoder {
	return &encoder{
		cfg:    cfg,
		embed:  nn.NewLinear(s, "enc.embed", cfg.PatchDim(), cfg.Width, true, nn.InitLinear(cfg.PatchDim())),
		blocks: newBlocks(s, "enc.block", cfg, cfg.EncBlocks),
		mixer:  newMixer(s, "enc.mixer", cfg),
		head:   nn.NewLinear(s, "enc.head", cfg.Width, cfg.Latent, false, nn.InitLinear(cfg.Width)),
	}
}

// encActs keeps one encoder call's activations.
type encActs struct {
	batch   int
	pos     *tensor.Tensor // [T·E] the position table, a constant
	patches *tensor.Tensor // [BT, PatchDim]
	emb     *tensor.Tensor // [BT, E] embedded patches plus position
	blocks  []*nn.BlockActs
	mixer   *nn.MixerActs
	z       *tensor.Tensor // [B, L] = [BT, Latent], token-major
	rstd    *tensor.Tensor // [B] 1/rms(z)
	v       *tensor.Tensor // [B, L] the sphere point
	owned
}

func (en *encoder) newActs(b tensor.Backend, batch int) *encActs {
	c := en.cfg
	bt := batch * c.Tokens()
	a := &encActs{batch: batch}
	a.pos = a.new(b, c.Tokens()*c.Width)
	b.Upload(a.pos, nn.SinCos2D(c.Grid(), c.Width))
	a.patches, a.emb = a.new(b, bt, c.PatchDim()), a.new(b, bt, c.Width)
	a.blocks = newBlockActs(b, en.blocks, batch, c.Tokens())
	a.mixer = en.mixer.NewActs(b, batch)
	a.z, a.rstd, a.v = a.new(b, batch, c.L()), a.new(b, batch), a.new(b, batch, c.L())
	return a
}

func (a *encActs) free(b tensor.Backend) {
	freeBlockActs(b, a.blocks)
	a.mixer.Free(b)
	a.owned.free(b)
}

// forward encodes x: [B, Channels, Image, Image] into a.v: [B, L].
func (en *encoder) forward(b tensor.Backend, a *encActs, x *tensor.Tensor) {
	c, bsz := en.cfg, a.batch
	bt := bsz * c.Tokens()
	b.Patchify(a.patches, x, bsz, c.Channels, c.Image, c.Image, c.Patch)
	en.embed.Forward(b, a.emb, a.patches, bt)
	b.AddBroadcast(a.emb, a.pos, bsz, c.Tokens()*c.Width)
	en.mixer.Forward(b, a.mixer, forwardBlocks(b, en.blocks, a.blocks, a.emb))
	en.head.Forward(b, a.z, a.mixer.Out, bt)
	b.Spherify(a.v, a.rstd, a.z, bsz, c.L())
}

// backward propagates dv: [B, L] through the call recorded in a into the encoder's
// parameter gradients. The image input gets no gradient (it is data, or detached).
func (en *encoder) backward(b tensor.Backend, a *encActs, dv *tensor.Tensor, g *grads) {
	c, bsz := en.cfg, a.batch
	bt := bsz * c.Tokens()
	b.SpherifyBackward(g.dz, dv, a.z, a.rstd, bsz, c.L())
	en.head.Backward(b, g.g0, g.dz, a.mixer.Out, bt, false)
	en.mixer.Backward(b, a.mixer, g.g1, g.g0)
	dEmb, _ := backwardBlocks(b, en.blocks, a.blocks, g.g1, g.g0)
	en.embed.Backward(b, nil, dEmb, a.patches, bt, false)
}

// Encoded keeps the activations of encode-only calls at a fixed batch (reconstruction
// checks, latent walks).
type Encoded struct{ a *encActs }

// NewEncoded allocates encode-only activations for batch images on b.
func (ae *AE) NewEncoded(b tensor.Backend, batch int) *Encoded {
	return &Encoded{a: ae.enc.newActs(b, batch)}
}

// Encode computes v = spherify(E(x)). x: [batch, Channels, Image, Image] in [-1, 1].
func (ae *AE) Encode(b tensor.Backend, d *Encoded, x *tensor.Tensor) {
	ae.enc.forward(b, d.a, x)
}

// V is the last Encode's sphere point: [batch, L], |v| = sqrt(L).
func (d *Encoded) V() *tensor.Tensor { return d.a.v }

// Free releases the activations.
func (d *Encoded) Free(b tensor.Backend) { d.a.free(b) }
