package nn

import (
	"fmt"
	"math"

	"flowsphere/model/tensor"
)

// BlockConfig sizes a transformer block.
type BlockConfig struct {
	Width  int     // E, the token width
	Heads  int     // attention heads; head dim Width/Heads, a multiple of 4
	Hidden int     // SwiGLU hidden width F (the first MLP layer outputs 2F)
	GridH  int     // token grid rows, for 2-D RoPE
	GridW  int     // token grid columns
	Cond   int     // width of the adaLN conditioning vector; 0 disables adaLN
	Base   float32 // RoPE frequency base
}

// normEps is the epsilon of every RMSNorm in the block (pre-norms and QK-norm).
const normEps = 1e-6

// Block is the shared transformer block of DESIGN.md §4.1: RMSNorm pre-norm → attention with
// QK-norm and 2-D RoPE → residual; RMSNorm → SwiGLU MLP → residual. The attention output
// projection and the MLP's second layer start at zero, so a fresh block is the identity.
// With Cond > 0 it is a DiT block: a zero-initialised linear map of the conditioning vector
// gives shift, scale and gate for both branches (adaLN-Zero). The zero gates already make a
// fresh block the identity, so there the two output layers take their default init, as in
// DiT: a zero gate's gradient is the branch output, and a zero weight's is scaled by the
// gate, so zeroing both would leave both at zero for ever.
//
// Where the seed differs: it uses LayerNorm and a plain SiLU MLP with 1-D RoPE; this design
// chooses RMSNorm, SwiGLU and 2-D RoPE as in JiT (DESIGN.md §4.6).
type Block struct {
	Cfg            BlockConfig
	Norm1, Norm2   *Param // [E] pre-norm gains (unused under adaLN, where modulation takes their place)
	QNorm, KNorm   *Param // [Dh] QK-norm gains
	Q, K, V, O     *Linear
	Up, Down       *Linear // E→2F (SwiGLU input), F→E
	Mod            *Linear // Cond→6E adaLN modulation, nil without adaLN
	set            *ParamSet
	scratch        map[[2]int]*blockScratch
	headDim, width int
}

// NewBlock declares a block's parameters in s under name.
func NewBlock(s *ParamSet, name string, c BlockConfig) *Block {
	if c.Width%c.Heads != 0 || (c.Width/c.Heads)%4 != 0 {
		panic(fmt.Sprintf("nn: block width %d with %d heads needs a head dim that is a multiple of 4", c.Width, c.Heads))
	}
	e, dh := c.Width, c.Width/c.Heads
	blk := &Block{Cfg: c, headDim: dh, width: e, set: s, scratch: map[[2]int]*blockScratch{}}
	if c.Cond == 0 {
		blk.Norm1 = s.Add(name+".norm1", InitOnes, e)
		blk.Norm2 = s.Add(name+".norm2", InitOnes, e)
	}
	blk.QNorm = s.Add(name+".qnorm", InitOnes, dh)
	blk.KNorm = s.Add(name+".knorm", InitOnes, dh)
	// Declared back to back, so that the three weights are one [3E, E] matrix (qkvWeights).
	blk.Q = NewLinear(s, name+".q", e, e, false, InitLinear(e))
	blk.K = NewLinear(s, name+".k", e, e, false, InitLinear(e))
	blk.V = NewLinear(s, name+".v", e, e, false, InitLinear(e))
	outInit, downInit := InitZeros, InitZeros
	if c.Cond > 0 {
		outInit, downInit = InitLinear(e), InitLinear(c.Hidden)
	}
	blk.O = NewLinear(s, name+".o", e, e, false, outInit)
	blk.Up = NewLinear(s, name+".up", e, 2*c.Hidden, true, InitLinear(e))
	blk.Down = NewLinear(s, name+".down", c.Hidden, e, true, downInit)
	if c.Cond > 0 {
		blk.Mod = NewLinear(s, name+".mod", c.Cond, 6*e, true, InitZeros)
	}
	return blk
}

// BlockActs keeps one forward call's activations for its backward. Make one per call site
// with NewActs; Out holds the block's output.
type BlockActs struct {
	batch, tokens int
	x, cond       *tensor.Tensor // the inputs of the last Forward (not owned)

	h1m, rstd1 *tensor.Tensor // pre-norm 1 (modulated under adaLN) [BT, E], its rstd [BT]
	wqkv       *tensor.Tensor // the q, k and v weights as one [3E, E] (a view)
	qkv        *tensor.Tensor // projections q ‖ k ‖ v [BT, 3E]
	qkvh       *tensor.Tensor // QK-normed and rotated q, k and v, head-split [3, BT, E]
	qr, kr, v  *tensor.Tensor // views of qkvh [BT, E]
	rqk        *tensor.Tensor // QK-norm rstd [2, BT·H]
	att, lse   *tensor.Tensor // attention output [BT, E], log-sum-exp [B, H, T]
	o          *tensor.Tensor // attention branch output [BT, E], kept under adaLN
	x1         *tensor.Tensor // after the first residual [BT, E]
	h2m, rstd2 *tensor.Tensor // pre-norm 2
	u, s       *tensor.Tensor // MLP up [BT, 2F] and SwiGLU [BT, F]
	y          *tensor.Tensor // MLP output [BT, E], kept under adaLN
	mod        *tensor.Tensor // adaLN modulation [B, 6E]
	Out        *tensor.Tensor // block output [BT, E]
	all        []*tensor.Tensor
}

// blockScratch holds the backward's temporaries for one (batch, tokens), shared by every
// BlockActs of that size since backward calls run one at a time.
type blockScratch struct {
	dy, ds, du, dh2m, dx1, do, da *tensor.Tensor
	dqkvh                         *tensor.Tensor // [3, BT, E], attention's dq ‖ dk ‖ dv
	dq, dk, dv                    *tensor.Tensor // views of dqkvh [BT, E]
	dqkv                          *tensor.Tensor // [BT, 3E]
	dwqkv                         *tensor.Tensor // the q, k and v weight gradients as one [3E, E] (a view)
	dh1m                          *tensor.Tensor
	delta, dMod                   *tensor.Tensor
}

// qkvWeights returns the q, k and v weights and their gradients as [3E, E] views of the
// parameter arenas: one product projects a token row to q ‖ k ‖ v. NewBlock declares them
// back to back; the arenas keep them so when E² is a multiple of the backend's alignment
// (any E on the CPU; a multiple of 8 on WebGPU).
func (blk *Block) qkvWeights(b tensor.Backend) (w, dw *tensor.Tensor) {
	e := blk.width
	q, k, v := blk.Q.W.Offset(), blk.K.W.Offset(), blk.V.W.Offset()
	if k != q+e*e || v != k+e*e {
		panic(fmt.Sprintf("nn: block width %d: the q, k and v weights are not back to back in the arena (alignment %d)", e, b.Align()))
	}
	return b.View(blk.set.Values, q, 3*e, e), b.View(blk.set.Grads, q, 3*e, e)
}

// NewActs allocates the activations of one call site for batch × tokens.
func (blk *Block) NewActs(b tensor.Backend, batch, tokens int) *BlockActs {
	e, f, bt := blk.width, blk.Cfg.Hidden, batch*tokens
	a := &BlockActs{batch: batch, tokens: tokens}
	alloc := func(shape ...int) *tensor.Tensor {
		t := b.New(shape...)
		a.all = append(a.all, t)
		return t
	}
	a.h1m, a.rstd1 = alloc(bt, e), alloc(bt)
	a.wqkv, _ = blk.qkvWeights(b)
	a.qkv, a.qkvh, a.rqk = alloc(bt, 3*e), alloc(3, bt, e), alloc(2, bt*blk.Cfg.Heads)
	a.qr, a.kr, a.v = b.View(a.qkvh, 0, bt, e), b.View(a.qkvh, bt*e, bt, e), b.View(a.qkvh, 2*bt*e, bt, e)
	a.att, a.lse = alloc(bt, e), alloc(batch, blk.Cfg.Heads, tokens)
	a.x1 = alloc(bt, e)
	a.h2m, a.rstd2 = alloc(bt, e), alloc(bt)
	a.u, a.s = alloc(bt, 2*f), alloc(bt, f)
	a.Out = alloc(bt, e)
	if blk.Mod != nil {
		a.mod = alloc(batch, 6*e)
		a.o, a.y = alloc(bt, e), alloc(bt, e)
	}
	return a
}

// Free releases the activations.
func (a *BlockActs) Free(b tensor.Backend) {
	for _, t := range a.all {
		b.Free(t)
	}
	a.all = nil
}

func (blk *Block) scratchFor(b tensor.Backend, batch, tokens int) *blockScratch {
	key := [2]int{batch, tokens}
	if s := blk.scratch[key]; s != nil {
		return s
	}
	e, f, bt, h := blk.width, blk.Cfg.Hidden, batch*tokens, blk.Cfg.Heads
	s := &blockScratch{
		dy: b.New(bt, e), ds: b.New(bt, f), du: b.New(bt, 2*f), dh2m: b.New(bt, e), dx1: b.New(bt, e),
		do: b.New(bt, e), da: b.New(bt, e), dqkvh: b.New(3, bt, e), dqkv: b.New(bt, 3*e),
		dh1m: b.New(bt, e), delta: b.New(batch, h, tokens),
	}
	s.dq, s.dk, s.dv = b.View(s.dqkvh, 0, bt, e), b.View(s.dqkvh, bt*e, bt, e), b.View(s.dqkvh, 2*bt*e, bt, e)
	_, s.dwqkv = blk.qkvWeights(b)
	if blk.Mod != nil {
		s.dMod = b.New(batch, 6*e)
	}
	blk.scratch[key] = s
	return s
}

// FreeScratch releases the backward temporaries.
func (blk *Block) FreeScratch(b tensor.Backend) {
	for key, s := range blk.scratch {
		for _, t := range []*tensor.Tensor{s.dy, s.ds, s.du, s.dh2m, s.dx1, s.do, s.da, s.dqkvh, s.dqkv, s.dh1m, s.delta} {
			b.Free(t)
		}
		if blk.Mod != nil {
			b.Free(s.dMod)
		}
		delete(blk.scratch, key)
	}
}

// adaLN chunk offsets inside the modulation vector [B, 6E].
func (blk *Block) chunk(i int) int { return i * blk.width }

const (
	shift1 = iota
	scale1
	gate1
	shift2
	scale2
	gate2
)

// gain returns a norm's gain, or nil under adaLN.
func gain(p *Param) *tensor.Tensor {
	if p == nil {
		return nil
	}
	return p.Value
}

// Forward runs the block on x: [batch·tokens, E] (kept by reference until Backward);
// cond: [batch, Cond] is the already-activated conditioning vector (nil without adaLN).
// The result is in a.Out.
func (blk *Block) Forward(b tensor.Backend, a *BlockActs, x, cond *tensor.Tensor) {
	c, e, bt, bsz, t := blk.Cfg, blk.width, a.batch*a.tokens, a.batch, a.tokens
	a.x, a.cond = x, cond
	if blk.Mod != nil {
		blk.Mod.Forward(b, a.mod, cond, bsz)
	}
	blk.preNorm(b, a, a.h1m, a.rstd1, x, blk.Norm1, shift1, scale1)
	b.MatMul(a.qkv, a.h1m, a.wqkv, nil, tensor.MatMulDims{M: bt, N: 3 * e, K: e, TransB: true})
	b.QKNormRoPE(a.qkvh, a.rqk, a.qkv, blk.QNorm.Value, blk.KNorm.Value, bsz, t, c.Heads, blk.headDim, c.GridH, c.GridW, c.Base, normEps)
	b.Attention(a.att, a.lse, a.qr, a.kr, a.v, bsz, t, c.Heads, blk.headDim, blk.scale())
	blk.residual(b, a, blk.O, a.x1, x, a.o, a.att, gate1)

	blk.preNorm(b, a, a.h2m, a.rstd2, a.x1, blk.Norm2, shift2, scale2)
	blk.Up.Forward(b, a.u, a.h2m, bt)
	b.SwiGLU(a.s, a.u, bt, c.Hidden)
	blk.residual(b, a, blk.Down, a.Out, a.x1, a.y, a.s, gate2)
}

// preNorm writes a branch's pre-norm of x: [BT, E] into out: [BT, E] and its rstd: [BT]:
// RMSNorm with gain norm, or under adaLN without gain, shifted and scaled by the chunks
// shift and scale of the modulation (one op does both).
func (blk *Block) preNorm(b tensor.Backend, a *BlockActs, out, rstd, x *tensor.Tensor, norm *Param, shift, scale int) {
	e := blk.width
	if blk.Mod == nil {
		b.RMSNorm(out, rstd, x, gain(norm), a.batch*a.tokens, e, normEps)
		return
	}
	b.NormModulate(out, rstd, x, a.mod, a.batch, a.tokens, e, 6*e, blk.chunk(shift), blk.chunk(scale), normEps)
}

// preNormBackward is preNorm's backward: dX = the gradient at x through the pre-norm from
// dH, plus dRes (the residual stream's gradient); it adds into norm's gain gradient, or
// under adaLN overwrites the shift and scale chunks of dMod.
func (blk *Block) preNormBackward(b tensor.Backend, a *BlockActs, s *blockScratch, dX, dH, dRes, x, rstd *tensor.Tensor, norm *Param, shift, scale int) {
	e := blk.width
	if blk.Mod == nil {
		b.RMSNormBackward(dX, gradOf(norm), dH, dRes, x, gain(norm), rstd, a.batch*a.tokens, e)
		return
	}
	b.NormModulateBackward(dX, s.dMod, dH, dRes, x, a.mod, rstd, a.batch, a.tokens, e, 6*e, blk.chunk(shift), blk.chunk(scale))
}

// residual writes out = x + l(in), the residual stream x plus the branch's output layer l;
// under adaLN the branch output y = l(in) is kept (its gate's gradient needs it) and
// gated: out = x + gate·y. out, x, y: [BT, E]; in: [BT, l.In].
func (blk *Block) residual(b tensor.Backend, a *BlockActs, l *Linear, out, x, y, in *tensor.Tensor, gate int) {
	bt := a.batch * a.tokens
	if blk.Mod == nil {
		l.ForwardAdd(b, out, x, in, bt)
		return
	}
	l.Forward(b, y, in, bt)
	b.GateResidual(out, x, y, a.mod, a.batch, a.tokens, blk.width, 6*blk.width, blk.chunk(gate))
}

// residualBackward turns the gradient at a residual's output into the branch gradient dy
// (and the gate's chunk of dMod under adaLN); without adaLN dy is dOut itself.
func (blk *Block) residualBackward(b tensor.Backend, a *BlockActs, s *blockScratch, dy, dOut, y *tensor.Tensor, gate int) *tensor.Tensor {
	if blk.Mod == nil {
		return dOut
	}
	b.GateResidualBackward(dy, s.dMod, dOut, y, a.mod, a.batch, a.tokens, blk.width, 6*blk.width, blk.chunk(gate))
	return dy
}

func (blk *Block) scale() float32 { return float32(1 / math.Sqrt(float64(blk.headDim))) }

// Backward propagates dOut: [batch·tokens, E] through the call recorded in a: it writes
// dX: [batch·tokens, E], adds into every parameter gradient and, under adaLN, adds into
// dCond: [batch, Cond].
func (blk *Block) Backward(b tensor.Backend, a *BlockActs, dX, dOut, dCond *tensor.Tensor) {
	c, e, bt, bsz, t := blk.Cfg, blk.width, a.batch*a.tokens, a.batch, a.tokens
	s := blk.scratchFor(b, bsz, t)

	// MLP branch.
	dy := blk.residualBackward(b, a, s, s.dy, dOut, a.y, gate2)
	blk.Down.Backward(b, s.ds, dy, a.s, bt, false)
	b.SwiGLUBackward(s.du, s.ds, a.u, bt, c.Hidden)
	blk.Up.Backward(b, s.dh2m, s.du, a.h2m, bt, false)
	blk.preNormBackward(b, a, s, s.dx1, s.dh2m, dOut, a.x1, a.rstd2, blk.Norm2, shift2, scale2)

	// Attention branch.
	do := blk.residualBackward(b, a, s, s.do, s.dx1, a.o, gate1)
	blk.O.Backward(b, s.da, do, a.att, bt, false)
	b.AttentionBackward(s.dq, s.dk, s.dv, s.delta, s.da, a.qr, a.kr, a.v, a.att, a.lse, bsz, t, c.Heads, blk.headDim, blk.scale())
	b.QKNormRoPEBackward(s.dqkv, blk.QNorm.Grad, blk.KNorm.Grad, s.dqkvh, a.qkv, blk.QNorm.Value, blk.KNorm.Value, a.rqk,
		bsz, t, c.Heads, blk.headDim, c.GridH, c.GridW, c.Base)
	b.LinearBackward(s.dh1m, s.dwqkv, nil, s.dqkv, a.wqkv, a.h1m, tensor.LinearDims{Rows: bt, Out: 3 * e, In: e})
	blk.preNormBackward(b, a, s, dX, s.dh1m, s.dx1, a.x, a.rstd1, blk.Norm1, shift1, scale1)

	if blk.Mod != nil {
		blk.Mod.Backward(b, dCond, s.dMod, a.cond, bsz, true)
	}
}

// gradOf returns a parameter's gradient, or nil for an absent parameter.
func gradOf(p *Param) *tensor.Tensor {
	if p == nil {
		return nil
	}
	return p.Grad
}
