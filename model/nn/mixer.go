package nn

import (
	"fmt"

	"flowsphere/model/tensor"
)

// MixerConfig sizes an MLP-Mixer over a fixed number of tokens.
type MixerConfig struct {
	Width         int // E, the token width
	Tokens        int // T, the tokens per image (the token-mixing MLP's width)
	TokenHidden   int // token-mixing MLP hidden width
	ChannelHidden int // channel-mixing MLP hidden width
	Layers        int // mixer layers before the final RMSNorm
}

// Mixer is the MLP-Mixer of DESIGN.md §4.2: Layers layers of token mixing (RMSNorm → transpose to
// [B, E, T] → Linear T→TokenHidden → GELU → Linear →T → transpose back → residual) and
// channel mixing (RMSNorm → Linear E→ChannelHidden → GELU → Linear →E → residual), then a
// final RMSNorm with gain. Every norm has a gain and every linear a bias. Each GELU is
// applied by the second linear as it reads its input (Linear.ForwardAct), so only the
// hidden layer before it is kept.
//
// The second linear of each MLP starts at zero, so a fresh mixer is the identity followed by
// the final RMSNorm. This plays the role of the official Sphere code's residual scalars that
// start at zero, without an extra parameter per branch. Where the seed differs: it uses
// LayerNorm before each MLP (DESIGN.md §4.6: RMSNorm throughout) and fixes both hidden widths
// at 4× (here they are config fields).
type Mixer struct {
	Cfg     MixerConfig
	Layers  []*MixerLayer
	Norm    *Param // [E] final RMSNorm gain
	scratch map[int]*mixerScratch
}

// MixerLayer is one token-mixing and one channel-mixing residual branch.
type MixerLayer struct {
	TokenNorm, ChannelNorm *Param  // [E] pre-norm gains
	TokenUp, TokenDown     *Linear // T→TokenHidden, TokenHidden→T (zero-init)
	ChannelUp, ChannelDown *Linear // E→ChannelHidden, ChannelHidden→E (zero-init)
}

// NewMixer declares a mixer's parameters in s under name.
func NewMixer(s *ParamSet, name string, c MixerConfig) *Mixer {
	m := &Mixer{Cfg: c, scratch: map[int]*mixerScratch{}}
	for i := range c.Layers {
		n := fmt.Sprintf("%s.%d", name, i)
		m.Layers = append(m.Layers, &MixerLayer{
			TokenNorm:   s.Add(n+".token_norm", InitOnes, c.Width),
			TokenUp:     NewLinear(s, n+".token_up", c.Tokens, c.TokenHidden, true, InitLinear(c.Tokens)),
			TokenDown:   NewLinear(s, n+".token_down", c.TokenHidden, c.Tokens, true, InitZeros),
			ChannelNorm: s.Add(n+".channel_norm", InitOnes, c.Width),
			ChannelUp:   NewLinear(s, n+".channel_up", c.Width, c.ChannelHidden, true, InitLinear(c.Width)),
			ChannelDown: NewLinear(s, n+".channel_down", c.ChannelHidden, c.Width, true, InitZeros),
		})
	}
	m.Norm = s.Add(name+".norm", InitOnes, c.Width)
	return m
}

// mixerLayerActs keeps one layer's activations of one forward call.
type mixerLayerActs struct {
	x         *tensor.Tensor // the layer input [BT, E] (not owned)
	n1, rstd1 *tensor.Tensor // token pre-norm [BT, E], [BT]
	n1t       *tensor.Tensor // transposed [B, E, T]
	a1        *tensor.Tensor // token MLP hidden before GELU [B·E, TokenHidden]
	c1        *tensor.Tensor // token MLP output [B, E, T]
	x1        *tensor.Tensor // after the token residual [BT, E]
	n2, rstd2 *tensor.Tensor // channel pre-norm [BT, E], [BT]
	a2        *tensor.Tensor // channel MLP hidden before GELU [BT, ChannelHidden]
	out       *tensor.Tensor // layer output [BT, E]
}

// MixerActs keeps one forward call's activations for its backward. Make one per call site
// with NewActs; Out holds the mixer's output.
type MixerActs struct {
	batch  int
	layers []mixerLayerActs
	last   *tensor.Tensor // the final norm's input (not owned)
	rstd   *tensor.Tensor // final norm [BT]
	Out    *tensor.Tensor // [BT, E]
	all    []*tensor.Tensor
}

// mixerScratch holds the backward's temporaries for one batch size, shared by every
// MixerActs of that size since backward calls run one at a time.
type mixerScratch struct {
	dA, dB  *tensor.Tensor // gradients between layers [BT, E]
	dn, dx1 *tensor.Tensor // [BT, E]
	dnt, dc *tensor.Tensor // [B, E, T]
	da1     *tensor.Tensor // [B·E, TokenHidden]
	da2     *tensor.Tensor // [BT, ChannelHidden]
	all     []*tensor.Tensor
}

// allocator returns a function that allocates tensors on b and records them in list.
func allocator(b tensor.Backend, list *[]*tensor.Tensor) func(shape ...int) *tensor.Tensor {
	return func(shape ...int) *tensor.Tensor {
		t := b.New(shape...)
		*list = append(*list, t)
		return t
	}
}

// NewActs allocates the activations of one call site for batch images.
func (m *Mixer) NewActs(b tensor.Backend, batch int) *MixerActs {
	c := m.Cfg
	bt, be := batch*c.Tokens, batch*c.Width
	a := &MixerActs{batch: batch, layers: make([]mixerLayerActs, len(m.Layers))}
	alloc := allocator(b, &a.all)
	for i := range a.layers {
		la := &a.layers[i]
		la.n1, la.rstd1, la.n1t = alloc(bt, c.Width), alloc(bt), alloc(batch, c.Width, c.Tokens)
		la.a1 = alloc(be, c.TokenHidden)
		la.c1, la.x1 = alloc(batch, c.Width, c.Tokens), alloc(bt, c.Width)
		la.n2, la.rstd2 = alloc(bt, c.Width), alloc(bt)
		la.a2 = alloc(bt, c.ChannelHidden)
		la.out = alloc(bt, c.Width)
	}
	a.rstd, a.Out = alloc(bt), alloc(bt, c.Width)
	return a
}

// Free releases the activations.
func (a *MixerActs) Free(b tensor.Backend) { freeAll(b, &a.all) }

// freeAll frees every tensor of list and empties it.
func freeAll(b tensor.Backend, list *[]*tensor.Tensor) {
	for _, t := range *list {
		b.Free(t)
	}
	*list = nil
}

func (m *Mixer) scratchFor(b tensor.Backend, batch int) *mixerScratch {
	if s := m.scratch[batch]; s != nil {
		return s
	}
	c := m.Cfg
	bt, be := batch*c.Tokens, batch*c.Width
	s := &mixerScratch{}
	alloc := allocator(b, &s.all)
	s.dA, s.dB, s.dn, s.dx1 = alloc(bt, c.Width), alloc(bt, c.Width), alloc(bt, c.Width), alloc(bt, c.Width)
	s.dnt, s.dc = alloc(batch, c.Width, c.Tokens), alloc(batch, c.Width, c.Tokens)
	s.da1, s.da2 = alloc(be, c.TokenHidden), alloc(bt, c.ChannelHidden)
	m.scratch[batch] = s
	return s
}

// FreeScratch releases the backward temporaries.
func (m *Mixer) FreeScratch(b tensor.Backend) {
	for batch, s := range m.scratch {
		freeAll(b, &s.all)
		delete(m.scratch, batch)
	}
}

// Forward runs the mixer on x: [batch·Tokens, E] (kept by reference until Backward). The
// result is in a.Out.
func (m *Mixer) Forward(b tensor.Backend, a *MixerActs, x *tensor.Tensor) {
	c, bsz := m.Cfg, a.batch
	bt, be := bsz*c.Tokens, bsz*c.Width
	for i, l := range m.Layers {
		la := &a.layers[i]
		la.x = x
		b.RMSNorm(la.n1, la.rstd1, x, l.TokenNorm.Value, bt, c.Width, normEps)
		b.Transpose(la.n1t, la.n1, bsz, c.Tokens, c.Width)
		l.TokenUp.Forward(b, la.a1, la.n1t, be)
		l.TokenDown.ForwardAct(b, la.c1, la.a1, be, tensor.GELU)
		// x1 = x + c1ᵀ: transposed straight into x1, then the residual added in place.
		b.Transpose(la.x1, la.c1, bsz, c.Width, c.Tokens)
		b.Axpby(la.x1, x, 1, 1)

		b.RMSNorm(la.n2, la.rstd2, la.x1, l.ChannelNorm.Value, bt, c.Width, normEps)
		l.ChannelUp.Forward(b, la.a2, la.n2, bt)
		l.ChannelDown.ForwardAddAct(b, la.out, la.x1, la.a2, bt, tensor.GELU)
		x = la.out
	}
	a.last = x
	b.RMSNorm(a.Out, a.rstd, x, m.Norm.Value, bt, c.Width, normEps)
}

// Backward propagates dOut: [batch·Tokens, E] through the call recorded in a: it writes
// dX: [batch·Tokens, E] and adds into every parameter gradient.
func (m *Mixer) Backward(b tensor.Backend, a *MixerActs, dX, dOut *tensor.Tensor) {
	c := m.Cfg
	bt := a.batch * c.Tokens
	s := m.scratchFor(b, a.batch)
	cur := dX
	if len(m.Layers) > 0 {
		cur = s.dA
	}
	b.RMSNormBackward(cur, m.Norm.Grad, dOut, nil, a.last, m.Norm.Value, a.rstd, bt, c.Width)
	for i := len(m.Layers) - 1; i >= 0; i-- {
		next := s.dA
		switch {
		case i == 0:
			next = dX
		case cur == s.dA:
			next = s.dB
		}
		m.layerBackward(b, m.Layers[i], &a.layers[i], s, a.batch, next, cur)
		cur = next
	}
}

// layerBackward propagates dOut: [BT, E] through one layer into dX: [BT, E].
func (m *Mixer) layerBackward(b tensor.Backend, l *MixerLayer, la *mixerLayerActs, s *mixerScratch, batch int, dX, dOut *tensor.Tensor) {
	c := m.Cfg
	bt, be := batch*c.Tokens, batch*c.Width
	l.ChannelDown.BackwardAct(b, s.da2, dOut, la.a2, bt, false, tensor.GELU)
	l.ChannelUp.Backward(b, s.dn, s.da2, la.n2, bt, false)
	b.RMSNormBackward(s.dx1, l.ChannelNorm.Grad, s.dn, dOut, la.x1, l.ChannelNorm.Value, la.rstd2, bt, c.Width)

	b.Transpose(s.dc, s.dx1, batch, c.Tokens, c.Width)
	l.TokenDown.BackwardAct(b, s.da1, s.dc, la.a1, be, false, tensor.GELU)
	l.TokenUp.Backward(b, s.dnt, s.da1, la.n1t, be, false)
	b.Transpose(s.dn, s.dnt, batch, c.Width, c.Tokens)
	b.RMSNormBackward(dX, l.TokenNorm.Grad, s.dn, s.dx1, la.x, l.TokenNorm.Value, la.rstd1, bt, c.Width)
}
