package nn

import "flowsphere/model/tensor"

// Linear is y = x·Wᵀ + b applied to every row. W: [Out, In]; B: [Out] or nil.
type Linear struct {
	In, Out int
	W, B    *Param
}

// NewLinear declares a linear layer's parameters in s. A zero weight init is the
// adaLN-Zero and output-projection convention.
func NewLinear(s *ParamSet, name string, in, out int, bias bool, w Init) *Linear {
	l := &Linear{In: in, Out: out, W: s.Add(name+".w", w, out, in)}
	if bias {
		l.B = s.Add(name+".b", InitZeros, out)
	}
	return l
}

func (l *Linear) bias() *tensor.Tensor {
	if l.B == nil {
		return nil
	}
	return l.B.Value
}

// Forward computes out = in·Wᵀ + b. out: [rows, Out]; in: [rows, In].
func (l *Linear) Forward(b tensor.Backend, out, in *tensor.Tensor, rows int) {
	l.ForwardAct(b, out, in, rows, tensor.Identity)
}

// ForwardAct computes out = f(pre)·Wᵀ + b, the layer applied to an activation of pre that
// is never stored: the product applies f as it reads pre. out: [rows, Out]; pre: [rows, In].
func (l *Linear) ForwardAct(b tensor.Backend, out, pre *tensor.Tensor, rows int, f tensor.Activation) {
	b.MatMul(out, pre, l.W.Value, l.bias(), tensor.MatMulDims{M: rows, N: l.Out, K: l.In, TransB: true, ActA: f})
}

// ForwardAdd computes out = res + in·Wᵀ + b: the layer as the last of a residual branch,
// added to the stream it branches from. out, res: [rows, Out], not overlapping;
// in: [rows, In].
func (l *Linear) ForwardAdd(b tensor.Backend, out, res, in *tensor.Tensor, rows int) {
	l.ForwardAddAct(b, out, res, in, rows, tensor.Identity)
}

// ForwardAddAct computes out = res + f(pre)·Wᵀ + b, ForwardAdd of an activation of pre
// (see ForwardAct). out, res: [rows, Out], not overlapping; pre: [rows, In].
func (l *Linear) ForwardAddAct(b tensor.Backend, out, res, pre *tensor.Tensor, rows int, f tensor.Activation) {
	b.MatMulAdd(out, res, pre, l.W.Value, l.bias(), tensor.MatMulDims{M: rows, N: l.Out, K: l.In, TransB: true, ActA: f})
}

// Backward adds the weight and bias gradients and computes dIn (added to dIn when
// accumulate, for inputs that feed several layers; nil skips it), all in one backend op.
// dIn: [rows, In]; dOut: [rows, Out]; in: [rows, In] as given to Forward.
func (l *Linear) Backward(b tensor.Backend, dIn, dOut, in *tensor.Tensor, rows int, accumulate bool) {
	l.BackwardAct(b, dIn, dOut, in, rows, accumulate, tensor.Identity)
}

// BackwardAct is Backward for ForwardAct: it adds the weight and bias gradients and
// computes dPre, the gradient at pre (added when accumulate; nil skips it).
// dPre, pre: [rows, In]; dOut: [rows, Out].
func (l *Linear) BackwardAct(b tensor.Backend, dPre, dOut, pre *tensor.Tensor, rows int, accumulate bool, f tensor.Activation) {
	b.LinearBackward(dPre, l.W.Grad, gradOf(l.B), dOut, l.W.Value, pre, tensor.LinearDims{Rows: rows, Out: l.Out, In: l.In, Accumulate: accumulate, Act: f})
}
