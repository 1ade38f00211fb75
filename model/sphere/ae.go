package sphere

import (
	"fmt"

	"flowsphere/model/config"
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// AE is the spherical autoencoder: an encoder and a decoder with their own parameters.
type AE struct {
	Cfg config.Config
	enc *encoder
	dec *decoder
}

// New declares the autoencoder's parameters in s (encoder first, then decoder).
func New(s *nn.ParamSet, cfg config.Config) *AE {
	return &AE{Cfg: cfg, enc: newEncoder(s, cfg), dec: newDecoder(s, cfg)}
}

// FreeScratch releases the backward temporaries that the blocks and mixers keep per batch
// size.
func (ae *AE) FreeScratch(b tensor.Backend) {
	for _, blk := range append(append([]*nn.Block(nil), ae.enc.blocks...), ae.dec.blocks...) {
		blk.FreeScratch(b)
	}
	ae.enc.mixer.FreeScratch(b)
	ae.dec.mixer.FreeScratch(b)
}

// newBlocks declares n transformer blocks (no adaLN) named name0, name1, ….
func newBlocks(s *nn.ParamSet, name string, cfg config.Config, n int) []*nn.Block {
	c := nn.BlockConfig{Width: cfg.Width, Heads: cfg.Heads, Hidden: cfg.Hidden, GridH: cfg.Grid(), GridW: cfg.Grid(), Base: cfg.RoPEBase}
	blocks := make([]*nn.Block, n)
	for i := range blocks {
		blocks[i] = nn.NewBlock(s, fmt.Sprintf("%s%d", name, i), c)
	}
	return blocks
}

// newMixer declares an MLP-Mixer at width E over the image tokens.
func newMixer(s *nn.ParamSet, name string, cfg config.Config) *nn.Mixer {
	return nn.NewMixer(s, name, nn.MixerConfig{
		Width: cfg.Width, Tokens: cfg.Tokens(), Layers: cfg.MixerLayers,
		TokenHidden: cfg.MixerTokenHidden, ChannelHidden: cfg.MixerChannelHidden,
	})
}

// newBlockActs allocates one call site's activations for every block.
func newBlockActs(b tensor.Backend, blocks []*nn.Block, batch, tokens int) []*nn.BlockActs {
	acts := make([]*nn.BlockActs, len(blocks))
	for i, blk := range blocks {
		acts[i] = blk.NewActs(b, batch, tokens)
	}
	return acts
}

// forwardBlocks runs the blocks in order on x: [BT, E] and returns the last output.
func forwardBlocks(b tensor.Backend, blocks []*nn.Block, acts []*nn.BlockActs, x *tensor.Tensor) *tensor.Tensor {
	for i, blk := range blocks {
		blk.Forward(b, acts[i], x, nil)
		x = acts[i].Out
	}
	return x
}

// backwardBlocks propagates dOut: [BT, E] back through the blocks, using spare: [BT, E] and
// dOut itself as ping-pong buffers. It returns the tensor that holds the gradient at the
// first block's input and the other one, now free.
func backwardBlocks(b tensor.Backend, blocks []*nn.Block, acts []*nn.BlockActs, dOut, spare *tensor.Tensor) (dIn, free *tensor.Tensor) {
	for i := len(blocks) - 1; i >= 0; i-- {
		blocks[i].Backward(b, acts[i], spare, dOut, nil)
		dOut, spare = spare, dOut
	}
	return dOut, spare
}

// freeBlockActs releases the blocks' activations.
func freeBlockActs(b tensor.Backend, acts []*nn.BlockActs) {
	for _, a := range acts {
		a.Free(b)
	}
}
