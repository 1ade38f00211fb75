package refiner

import (
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// segment embeds one input as T tokens of the sequence: a linear map (with bias) to width E
// plus a learned segment embedding, copied into its third of the sequence.
type segment struct {
	Proj  *nn.Linear // In→E
	Emb   *nn.Param  // [E] segment embedding, added to every token
	index int        // position among the segments
}

// newSegment declares a segment's parameters under name.
func newSegment(s *nn.ParamSet, name string, in, width, index int) *segment {
	return &segment{
		Proj:  nn.NewLinear(s, name, in, width, true, nn.InitLinear(in)),
		Emb:   s.Add(name+".seg", segEmbInit, width),
		index: index,
	}
}

// forward embeds in and writes the tokens into the segment's place in seq; tok is scratch.
// seq: [batch, 3T, E]; tok: [batch·T, E]; in: [batch·T, In].
func (sg *segment) forward(b tensor.Backend, seq, tok, in *tensor.Tensor, batch, tokens int) {
	e, rows := sg.Proj.Out, batch*tokens
	sg.Proj.Forward(b, tok, in, rows)
	b.AddBroadcast(tok, sg.Emb.Value, rows, e)
	copySegment(b, seq, tok, batch, tokens, e, sg.index, true)
}

// backward reads the segment's gradient out of dSeq into dTok, adds into the embedding's and
// the projection's gradients and overwrites dIn (nil skips it: detached inputs).
// dSeq: [batch, 3T, E]; dTok: [batch·T, E]; dIn, in: [batch·T, In].
func (sg *segment) backward(b tensor.Backend, dIn, dTok, dSeq, in *tensor.Tensor, batch, tokens int) {
	e, rows := sg.Proj.Out, batch*tokens
	copySegment(b, dSeq, dTok, batch, tokens, e, sg.index, false)
	b.SumRows(sg.Emb.Grad, dTok, rows, e)
	sg.Proj.Backward(b, dIn, dTok, in, rows, false)
}
