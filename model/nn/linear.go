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
	b.MatMul(out, in, l.W.Value, l.bias(), tensor.MatMulDims{M: rows, N: l.Out, K: l.In, TransB: true})
}

// ForwardAdd computes out = res + in·Wᵀ + b: the layer as the last of a residual branch,
// added to the stream it branches from. out, res: [rows, Out], not overlapping;
// in: [rows, In].
func (l *Linear) ForwardAdd(b tensor.Backend, out, res, in *tensor.Tensor, rows int) {
	b.MatMulAdd(out, res, in, l.W.Value, l.bias(), tensor.MatMulDims{M: rows, N: l.Out, K: l.In, TransB: true})
}

// Backward adds the weight and bias gradients and computes dIn (added to dIn when
// accumulate, for inputs that feed several layers; nil skips it), all in one backend op.
// dIn: [rows, In]; dOut: [rows, Out]; in: [rows, In] as given to Forward.
func (l *Linear) Backward(b tensor.Backend, dIn, dOut, in *tensor.Tensor, rows int, accumulate bool) {
	b.LinearBackward(dIn, l.W.Grad, gradOf(l.B), dOut, l.W.Value, in, rows, l.Out, l.In, accumulate)
}
