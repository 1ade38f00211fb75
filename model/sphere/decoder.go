package sphere

import (
	"flowsphere/model/config"
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// decoder maps sphere points to images: v: [B, L] as [BT, Latent] → linear Latent→E →
// mixer → DecBlocks blocks → hidden tokens H: [BT, E] → linear E→PatchDim → unpatchify.
type decoder struct {
	cfg    config.Config
	embed  *nn.Linear // Latent→E, bias
	mixer  *nn.Mixer
	blocks []*nn.Block
	head   *nn.Linear // E→PatchDim, bias
}

func newDecoder(s *nn.ParamSet, cfg config.Config) *decoder {
	return &decoder{
		cfg:    cfg,
		embed:  nn.NewLinear(s, "dec.embed", cfg.Latent, cfg.Width, true, nn.InitLinear(cfg.Latent)),
		mixer:  newMixer(s, "dec.mixer", cfg),
		blocks: newBlocks(s, "dec.block", cfg, cfg.DecBlocks),
		head:   nn.NewLinear(s, "dec.head", cfg.Width, cfg.PatchDim(), true, nn.InitLinear(cfg.Width)),
	}
}

// decActs keeps one decoder call's activations.
type decActs struct {
	batch   int
	v       *tensor.Tensor // [B, L] the input of the last forward (not owned)
	emb     *tensor.Tensor // [BT, E]
	mixer   *nn.MixerActs
	blocks  []*nn.BlockActs
	hidden  *tensor.Tensor // [BT, E] the last block's output (not owned)
	patches *tensor.Tensor // [BT, PatchDim]
	img     *tensor.Tensor // [B, Channels, Image, Image]
	owned
}

func (de *decoder) newActs(b tensor.Backend, batch int) *decActs {
	c := de.cfg
	bt := batch * c.Tokens()
	a := &decActs{batch: batch}
	a.emb = a.new(b, bt, c.Width)
	a.mixer = de.mixer.NewActs(b, batch)
	a.blocks = newBlockActs(b, de.blocks, batch, c.Tokens())
	a.hidden = a.mixer.Out
	if n := len(a.blocks); n > 0 {
		a.hidden = a.blocks[n-1].Out
	}
	a.patches = a.new(b, bt, c.PatchDim())
	a.img = a.new(b, batch, c.Channels, c.Image, c.Image)
	return a
}

func (a *decActs) free(b tensor.Backend) {
	a.mixer.Free(b)
	freeBlockActs(b, a.blocks)
	a.owned.free(b)
}

// forward decodes v: [B, L] (kept by reference until backward) into a.img.
func (de *decoder) forward(b tensor.Backend, a *decActs, v *tensor.Tensor) {
	c, bsz := de.cfg, a.batch
	bt := bsz * c.Tokens()
	a.v = v
	de.embed.Forward(b, a.emb, v, bt)
	de.mixer.Forward(b, a.mixer, a.emb)
	forwardBlocks(b, de.blocks, a.blocks, a.mixer.Out)
	de.head.Forward(b, a.patches, a.hidden, bt)
	b.Unpatchify(a.img, a.patches, bsz, c.Channels, c.Image, c.Image, c.Patch)
}

// backward propagates dImg: [B, Channels, Image, Image] through the call recorded in a: it
// adds into the decoder's parameter gradients and writes dv: [B, L].
func (de *decoder) backward(b tensor.Backend, a *decActs, dv, dImg *tensor.Tensor, g *grads) {
	c, bsz := de.cfg, a.batch
	bt := bsz * c.Tokens()
	b.Patchify(g.dp, dImg, bsz, c.Channels, c.Image, c.Image, c.Patch) // unpatchify's backward
	de.head.Backward(b, g.g0, g.dp, a.hidden, bt, false)
	dMix, spare := backwardBlocks(b, de.blocks, a.blocks, g.g0, g.g1)
	de.mixer.Backward(b, a.mixer, spare, dMix)
	de.embed.Backward(b, dv, spare, a.v, bt, false)
}

// Decoded keeps the activations of decode-only calls at a fixed batch (sampling).
type Decoded struct{ a *decActs }

// NewDecoded allocates decode-only activations for batch sphere points on b.
func (ae *AE) NewDecoded(b tensor.Backend, batch int) *Decoded {
	return &Decoded{a: ae.dec.newActs(b, batch)}
}

// Decode computes D(v). v: [batch, L], a point on the sphere (kept by reference until the
// next Decode).
func (ae *AE) Decode(b tensor.Backend, d *Decoded, v *tensor.Tensor) {
	ae.dec.forward(b, d.a, v)
}

// Image is the last Decode's image: [batch, Channels, Image, Image], not clamped.
func (d *Decoded) Image() *tensor.Tensor { return d.a.img }

// Hidden is the last Decode's hidden tokens: [batch·Tokens, E], the refiner's context.
func (d *Decoded) Hidden() *tensor.Tensor { return d.a.hidden }

// Free releases the activations.
func (d *Decoded) Free(b tensor.Backend) { d.a.free(b) }
