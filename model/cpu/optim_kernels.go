package cpu

import "math"

// gradClipEps keeps maxNorm/(norm + gradClipEps) finite for a zero gradient.
// shaders/optim.wgsl holds the same value as GRADCLIP_EPS.
const gradClipEps = 1e-6

// sumSquaresBlock is the span of one partial sum: fixed, so the float64 total is the same
// for every thread count.
const sumSquaresBlock = 1 << 14

// gradClip writes scale = {min(1, maxNorm/(‖g‖ + gradClipEps)), 1} for a finite norm and
// {0, 0} otherwise. The norm counts as finite when its square fits float32, the type the
// device accumulates in, so both backends agree on gradients as large as ~1e19.
// scale: [2]; g: [n].
func gradClip[T Float](scale, g []T, maxNorm T) {
	sumSq := sumBlocks((len(g)+sumSquaresBlock-1)/sumSquaresBlock, sumSquaresTask[T]{g})
	if !(sumSq <= math.MaxFloat32) { // also catches NaN
		scale[0], scale[1] = 0, 0
		return
	}
	scale[0] = T(min(1, float64(maxNorm)/(math.Sqrt(sumSq)+gradClipEps)))
	scale[1] = 1
}

// sumSquaresTask sums g² over blocks of sumSquaresBlock elements.
type sumSquaresTask[T Float] struct{ g []T }

func (t *sumSquaresTask[T]) part(_ *worker, b int) float64 {
	s := 0.0
	for _, x := range t.g[b*sumSquaresBlock : min((b+1)*sumSquaresBlock, len(t.g))] {
		s += float64(x) * float64(x)
	}
	return s
}

// adamBiasCorrections returns 1/(1 − beta1^step) and 1/(1 − beta2^step), in float64.
func adamBiasCorrections[T Float](beta1, beta2 T, step int) (inv1, inv2 float64) {
	if step < 1 {
		panic("cpu: AdamW step counts from 1")
	}
	t := float64(step)
	return 1 / (1 - math.Pow(float64(beta1), t)), 1 / (1 - math.Pow(float64(beta2), t))
}

// adamW takes one AdamW step with decoupled weight decay: with ĝ = scale[0]·g,
// m ← β1·m + (1−β1)·ĝ, v ← β2·v + (1−β2)·ĝ², p ← p − lr·(m̂/(sqrt(v̂)+eps) + wd·p) where
// m̂ = m/(1−β1^step), v̂ = v/(1−β2^step). When scale[1] is 0 nothing changes.
// p, g, m, v: [n]; scale: [2] or nil.
func adamW[T Float](p, g, m, v, scale []T, lr, beta1, beta2, eps, wd T, step int) {
	gs := 1.0
	if scale != nil {
		if scale[1] == 0 {
			return
		}
		gs = float64(scale[0])
	}
	// Computed in float64 and rounded once per stored value, so the float32 and float64
	// instantiations differ only by that rounding.
	bc1, bc2 := adamBiasCorrections(beta1, beta2, step)
	parallel(len(p), 1<<14, adamWTask[T]{p, g, m, v, adamWCoeffs{
		gs, float64(beta1), float64(beta2), float64(lr), float64(eps), float64(wd), bc1, bc2}})
}

// adamWCoeffs are one AdamW step's scalars in float64: the gradient scale, betas, learning
// rate, eps, weight decay and the two bias corrections.
type adamWCoeffs struct{ gs, b1, b2, lr, eps, wd, bc1, bc2 float64 }

type adamWTask[T Float] struct {
	p, g, m, v []T
	adamWCoeffs
}

func (t *adamWTask[T]) run(_ *worker, lo, hi int) {
	p, g, m, v := t.p[lo:hi], t.g[lo:hi], t.m[lo:hi], t.v[lo:hi]
	if p32, ok := any(p).([]float32); ok {
		adamW32(p32, any(g).([]float32), any(m).([]float32), any(v).([]float32), &t.adamWCoeffs)
		return
	}
	adamWScalar(p, g, m, v, &t.adamWCoeffs)
}

// adamWScalar is one AdamW step of the elements of p, one at a time. p, g, m, v: [n].
func adamWScalar[T Float](p, g, m, v []T, k *adamWCoeffs) {
	for i := range p {
		gi := float64(g[i]) * k.gs
		mi := k.b1*float64(m[i]) + (1-k.b1)*gi
		vi := k.b2*float64(v[i]) + (1-k.b2)*gi*gi
		m[i], v[i] = T(mi), T(vi)
		pi := float64(p[i])
		p[i] = T(pi - k.lr*(mi*k.bc1/(math.Sqrt(vi*k.bc2)+k.eps)+k.wd*pi))
	}
}
