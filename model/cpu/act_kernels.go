package cpu

import "flowsphere/model/tensor"

// geluK and geluC are the constants of GELU's tanh approximation:
// gelu(x) = ½·x·(1 + tanh(geluK·(x + geluC·x³))).
const (
	geluK = 0.7978845608028654 // sqrt(2/π)
	geluC = 0.044715
)

// stableSigmoid is 1/(1+e^−x) without overflow: e^−|x| never exceeds 1, so saturated
// inputs give exactly 0 or 1 instead of inf/inf. The activations compute in T: converting
// float32 operands to float64 around the exponential makes each element wait on the one
// before (the conversions merge into their destination registers), four times slower.
func stableSigmoid[T Float](x T) T {
	e := expOf(-abs(x))
	if x >= 0 {
		return 1 / (1 + e)
	}
	return e / (1 + e)
}

// abs is |x|.
func abs[T Float](x T) T {
	if x < 0 {
		return -x
	}
	return x
}

// actValue is f(x). GELU uses ½(1 + tanh u) = sigmoid(2u), which avoids the cancellation
// of 1 + tanh u for negative x (and the NaN of a naive tanh at large |u|), as the WGSL does.
func actValue[T Float](x T, f tensor.Activation) T {
	if f == tensor.GELU {
		return x * stableSigmoid(2*geluK*(x+geluC*x*x*x))
	}
	return x * stableSigmoid(x)
}

// actSlope is f'(x), written with the same sigmoid as actValue.
func actSlope[T Float](x T, f tensor.Activation) T {
	if f == tensor.GELU {
		s := stableSigmoid(2 * geluK * (x + geluC*x*x*x))
		return s * (1 + x*(1-s)*2*geluK*(1+3*geluC*x*x))
	}
	s := stableSigmoid(x)
	return s * (1 + x*(1-s))
}

// act computes out = f(in). out, in: [n].
func act[T Float](out, in []T, f tensor.Activation) {
	parallel(len(out), 1<<13, actTask[T]{out, in, nil, f})
}

// actBackward computes dIn = f'(in)·dOut. dIn, dOut, in: [n].
func actBackward[T Float](dIn, dOut, in []T, f tensor.Activation) {
	parallel(len(dIn), 1<<13, actTask[T]{dIn, in, dOut, f})
}

// actTask is act (dOut nil) or actBackward over elements: out = f(in) or f'(in)·dOut.
type actTask[T Float] struct {
	out, in, dOut []T
	f             tensor.Activation
}

func (t *actTask[T]) run(_ *worker, lo, hi int) {
	out, in := t.out[lo:hi], t.in[lo:hi]
	if t.dOut == nil {
		for i, x := range in {
			out[i] = actValue(x, t.f)
		}
		return
	}
	dOut := t.dOut[lo:hi]
	for i, x := range in {
		out[i] = actSlope(x, t.f) * dOut[i]
	}
}

// swiGLU computes out[r,j] = silu(a)·b with a = in[r,j], b = in[r,F+j].
// out: [rows, F]; in: [rows, 2F].
func swiGLU[T Float](out, in []T, rows, f int) {
	parallel(rows, max(1, 4096/max(f, 1)), swiGLUTask[T]{out, in, f})
}

type swiGLUTask[T Float] struct {
	out, in []T
	f       int
}

func (t *swiGLUTask[T]) run(_ *worker, lo, hi int) {
	f := t.f
	for r := lo; r < hi; r++ {
		a, b, y := t.in[2*r*f:(2*r+1)*f], t.in[(2*r+1)*f:(2*r+2)*f], t.out[r*f:(r+1)*f]
		for j := range y {
			y[j] = actValue(a[j], tensor.SiLU) * b[j]
		}
	}
}

// swiGLUBackward computes dIn = [silu'(a)·b·dOut ‖ silu(a)·dOut]. dIn, in: [rows, 2F];
// dOut: [rows, F].
func swiGLUBackward[T Float](dIn, dOut, in []T, rows, f int) {
	parallel(rows, max(1, 4096/max(f, 1)), swiGLUBackwardTask[T]{dIn, dOut, in, f})
}

type swiGLUBackwardTask[T Float] struct {
	dIn, dOut, in []T
	f             int
}

func (t *swiGLUBackwardTask[T]) run(_ *worker, lo, hi int) {
	f := t.f
	for r := lo; r < hi; r++ {
		a, b, dy := t.in[2*r*f:(2*r+1)*f], t.in[(2*r+1)*f:(2*r+2)*f], t.dOut[r*f:(r+1)*f]
		da, db := t.dIn[2*r*f:(2*r+1)*f], t.dIn[(2*r+1)*f:(2*r+2)*f]
		for j, g := range dy {
			x := a[j]
			s := stableSigmoid(x) // silu(x) = x·s, silu'(x) = s·(1 + x·(1 − s))
			da[j] = s * (1 + x*(1-s)) * b[j] * g
			db[j] = x * s * g
		}
	}
}
