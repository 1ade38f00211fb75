package cpu

import (
	"math"

	"flowsphere/model/cpu/fast"
	"flowsphere/model/cpu/pool"
	"flowsphere/model/tensor"
)

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

// actArg is the sigmoid's argument in f(x): x for SiLU, 2u for GELU. GELU uses
// ½(1 + tanh u) = sigmoid(2u), which avoids the cancellation of 1 + tanh u for negative x
// (and the NaN of a naive tanh at large |u|), as the WGSL does.
func actArg[T Float](x T, f tensor.Activation) T {
	if f == tensor.GELU {
		return 2 * geluK * (x + geluC*x*x*x)
	}
	return x
}

// actValueOf is f(x) given s = σ(actArg(x)).
func actValueOf[T Float](x, s T) T { return x * s }

// actSlopeOf is f'(x) given s = σ(actArg(x)).
func actSlopeOf[T Float](x, s T, f tensor.Activation) T {
	if f == tensor.GELU {
		return s * (1 + x*(1-s)*2*geluK*(1+3*geluC*x*x))
	}
	return s * (1 + x*(1-s))
}

// actValue is f(x).
func actValue[T Float](x T, f tensor.Activation) T {
	return actValueOf(x, stableSigmoid(actArg(x, f)))
}

// actSlope is f'(x), written with the same sigmoid as actValue.
func actSlope[T Float](x T, f tensor.Activation) T {
	return actSlopeOf(x, stableSigmoid(actArg(x, f)), f)
}

// expOf is e^x at T's precision: fast.Exp32 for float32 kernels, math.Exp for the float64
// backend of the gradient checks.
func expOf[T Float](x T) T {
	if f, ok := any(x).(float32); ok {
		return T(fast.Exp32(f))
	}
	return T(math.Exp(float64(x)))
}

// sigmoidsOf sets s[j] = σ(x[j]): float32 rows in vector lanes first where the build has
// them, the rest one element at a time. s, x: [n].
func sigmoidsOf[T Float](s, x []T) {
	n := 0
	if s32, ok := any(s).([]float32); ok {
		n = fast.Sigmoids(s32, any(x).([]float32))
	}
	for j, v := range x[n:] {
		s[n+j] = stableSigmoid(v)
	}
}

// sigmoidChunk is how many sigmoids the element-wise kernels compute per sigmoidsOf call,
// into buffers on the stack.
const sigmoidChunk = 256

// act computes out = f(in). out, in: [n].
func act[T Float](out, in []T, f tensor.Activation) {
	pool.Run(len(out), 1<<13, actTask[T]{out, in, nil, f})
}

// actBackward computes dIn = f'(in)·dOut. dIn, dOut, in: [n].
func actBackward[T Float](dIn, dOut, in []T, f tensor.Activation) {
	pool.Run(len(dIn), 1<<13, actTask[T]{dIn, in, dOut, f})
}

// actTask is act (dOut nil) or actBackward over elements: out = f(in) or f'(in)·dOut.
type actTask[T Float] struct {
	out, in, dOut []T
	f             tensor.Activation
}

func (t *actTask[T]) Run(_ *pool.Worker, lo, hi int) {
	var dOut []T
	if t.dOut != nil {
		dOut = t.dOut[lo:hi]
	}
	n := 0
	if out, ok := any(t.out).([]float32); ok {
		n = fast.Act(out[lo:hi], any(t.in).([]float32)[lo:hi], any(dOut).([]float32), t.f == tensor.GELU, geluK, geluC)
	}
	actScalar(t.out[lo+n:hi], t.in[lo+n:hi], from(dOut, n), t.f)
}

// actScalar sets out = f(in), or f'(in)·dOut when dOut is not nil, in chunks of sigmoids.
// out, in, dOut: [n].
func actScalar[T Float](out, in, dOut []T, f tensor.Activation) {
	var z, sig [sigmoidChunk]T
	for c0 := 0; c0 < len(in); c0 += sigmoidChunk {
		c1 := min(len(in), c0+sigmoidChunk)
		in, out, s := in[c0:c1], out[c0:c1], sig[:c1-c0]
		for i, x := range in {
			z[i] = actArg(x, f)
		}
		sigmoidsOf(s, z[:len(in)])
		if dOut == nil {
			for i, x := range in {
				out[i] = actValueOf(x, s[i])
			}
			continue
		}
		for i, x := range in {
			out[i] = actSlopeOf(x, s[i], f) * dOut[c0+i]
		}
	}
}

// swiGLU computes out[r,j] = silu(a)·b with a = in[r,j], b = in[r,F+j].
// out: [rows, F]; in: [rows, 2F].
func swiGLU[T Float](out, in []T, rows, f int) {
	pool.Run(rows, max(1, 4096/max(f, 1)), swiGLUTask[T]{out, in, f})
}

type swiGLUTask[T Float] struct {
	out, in []T
	f       int
}

func (t *swiGLUTask[T]) Run(_ *pool.Worker, lo, hi int) {
	f := t.f
	var sig [sigmoidChunk]T
	for r := lo; r < hi; r++ {
		a, b, y := t.in[2*r*f:(2*r+1)*f], t.in[(2*r+1)*f:(2*r+2)*f], t.out[r*f:(r+1)*f]
		for j0 := 0; j0 < f; j0 += sigmoidChunk {
			j1 := min(f, j0+sigmoidChunk)
			s := sig[:j1-j0]
			sigmoidsOf(s, a[j0:j1])
			for j, x := range a[j0:j1] {
				y[j0+j] = actValueOf(x, s[j]) * b[j0+j]
			}
		}
	}
}

// swiGLUBackward computes dIn = [silu'(a)·b·dOut ‖ silu(a)·dOut]. dIn, in: [rows, 2F];
// dOut: [rows, F].
func swiGLUBackward[T Float](dIn, dOut, in []T, rows, f int) {
	pool.Run(rows, max(1, 4096/max(f, 1)), swiGLUBackwardTask[T]{dIn, dOut, in, f})
}

type swiGLUBackwardTask[T Float] struct {
	dIn, dOut, in []T
	f             int
}

func (t *swiGLUBackwardTask[T]) Run(_ *pool.Worker, lo, hi int) {
	f := t.f
	for r := lo; r < hi; r++ {
		swiGLUBackwardRow(t.dIn[2*r*f:(2*r+1)*f], t.dIn[(2*r+1)*f:(2*r+2)*f],
			t.in[2*r*f:(2*r+1)*f], t.in[(2*r+1)*f:(2*r+2)*f], t.dOut[r*f:(r+1)*f])
	}
}

// swiGLUBackwardRow sets da = silu'(a)·b·dy and db = silu(a)·dy, float32 rows in vector
// lanes first where the build has them. da, db, a, b, dy: [F].
func swiGLUBackwardRow[T Float](da, db, a, b, dy []T) {
	n := 0
	if a32, ok := any(a).([]float32); ok {
		n = fast.SwiGLUBackward(any(da).([]float32), any(db).([]float32), a32, any(b).([]float32), any(dy).([]float32))
	}
	swiGLUBackwardScalar(da[n:], db[n:], a[n:], b[n:], dy[n:])
}

func swiGLUBackwardScalar[T Float](da, db, a, b, dy []T) {
	var sig [sigmoidChunk]T
	for j0 := 0; j0 < len(a); j0 += sigmoidChunk {
		j1 := min(len(a), j0+sigmoidChunk)
		s := sig[:j1-j0]
		sigmoidsOf(s, a[j0:j1])
		for j, x := range a[j0:j1] {
			g := dy[j0+j]
			da[j0+j] = actSlopeOf(x, s[j], tensor.SiLU) * b[j0+j] * g
			db[j0+j] = actValueOf(x, s[j]) * g
		}
	}
}
