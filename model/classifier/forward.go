package classifier

import "flowsphere/model/tensor"

// Acts holds one batch size's input, activations and gradients. Fill X, then Forward.
type Acts struct {
	Batch   int
	X       *tensor.Tensor // input images [Batch, Channels, Image, Image]
	patches *tensor.Tensor // [Batch·Tokens, PatchDim]
	e, ea   *tensor.Tensor // patch embeddings before and after GELU [Batch·Tokens, Embed] = [Batch, Tokens·Embed]
	h       *tensor.Tensor // hidden layer before GELU [Batch, Hidden]
	f       *tensor.Tensor // features, after GELU [Batch, Hidden]
	logits  *tensor.Tensor // [Batch, Classes]
	DLogits *tensor.Tensor // loss gradient at the logits [Batch, Classes], set before Backward
	df, dh  *tensor.Tensor // [Batch, Hidden]
	dea, de *tensor.Tensor // [Batch·Tokens, Embed]
	all     []*tensor.Tensor
}

// NewActs allocates the tensors of batch images.
func (c *Classifier) NewActs(b tensor.Backend, batch int) *Acts {
	cfg := c.Cfg
	bt := batch * cfg.Tokens()
	a := &Acts{Batch: batch}
	alloc := func(shape ...int) *tensor.Tensor {
		t := b.New(shape...)
		a.all = append(a.all, t)
		return t
	}
	a.X = alloc(batch, cfg.Channels, cfg.Image, cfg.Image)
	a.patches = alloc(bt, cfg.PatchDim())
	a.e, a.ea = alloc(bt, cfg.Embed), alloc(bt, cfg.Embed)
	a.h, a.f = alloc(batch, cfg.Hidden), alloc(batch, cfg.Hidden)
	a.logits, a.DLogits = alloc(batch, cfg.Classes), alloc(batch, cfg.Classes)
	a.df, a.dh = alloc(batch, cfg.Hidden), alloc(batch, cfg.Hidden)
	a.dea, a.de = alloc(bt, cfg.Embed), alloc(bt, cfg.Embed)
	return a
}

// Free releases the tensors.
func (a *Acts) Free(b tensor.Backend) {
	for _, t := range a.all {
		b.Free(t)
	}
	a.all = nil
}

// Forward runs the network on a.X; Features and Logits hold the results.
func (c *Classifier) Forward(b tensor.Backend, a *Acts) {
	cfg := c.Cfg
	bt := a.Batch * cfg.Tokens()
	b.Patchify(a.patches, a.X, a.Batch, cfg.Channels, cfg.Image, cfg.Image, cfg.Patch)
	c.embed.Forward(b, a.e, a.patches, bt)
	b.Act(a.ea, a.e, bt*cfg.Embed, tensor.GELU)
	c.hidden.Forward(b, a.h, a.ea, a.Batch) // ea read as [Batch, Tokens·Embed]
	b.Act(a.f, a.h, a.Batch*cfg.Hidden, tensor.GELU)
	c.head.Forward(b, a.logits, a.f, a.Batch)
}

// Backward propagates a.DLogits through the last Forward and adds into the parameter
// gradients.
func (c *Classifier) Backward(b tensor.Backend, a *Acts) {
	cfg := c.Cfg
	bt := a.Batch * cfg.Tokens()
	c.head.Backward(b, a.df, a.DLogits, a.f, a.Batch, false)
	b.ActBackward(a.dh, a.df, a.h, a.Batch*cfg.Hidden, tensor.GELU)
	c.hidden.Backward(b, a.dea, a.dh, a.ea, a.Batch, false)
	b.ActBackward(a.de, a.dea, a.e, bt*cfg.Embed, tensor.GELU)
	c.embed.Backward(b, nil, a.de, a.patches, bt, false)
}

// Features is the last Forward's feature layer: [Batch, Hidden].
func (a *Acts) Features() *tensor.Tensor { return a.f }

// Logits is the last Forward's output: [Batch, Classes].
func (a *Acts) Logits() *tensor.Tensor { return a.logits }
