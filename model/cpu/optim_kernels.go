package cpu

import (
	"math"

	"flowsphere/model/cpu/fast"
	"flowsphere/model/cpu/pool"
)

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
	sumSq := pool.SumBlocks((len(g)+sumSquaresBlock-1)/sumSquaresBlock, sumSquaresTask[T]{g})
	if !(sumSq <= math.MaxFloat32) { // also catches NaN
		scale[0], scale[1] = 0, 0
		return
	}
	scale[0] = T(min(1, float64(maxNorm)/(math.Sqrt(sumSq)+gradClipEps)))
	scale[1] = 1
}

// sumSquaresTask sums g² over blocks of sumSquaresBlock elements.
type sumSquaresTask[T Float] struct{ g []T }

func (t *sumSquaresTask[T]) Part(_ *pool.Worker, b int) float64 {
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
	pool.Run(len(p), 1<<14, adamWTask[T]{p, g, m, v, fast.AdamWCoeffs{
		GS: gs, B1: float64(beta1), B2: float64(beta2), LR: float64(lr), Eps: float64(eps), WD: float64(wd), BC1: bc1, BC2: bc2}})
}

type adamWTask[T Float] struct {
	p, g, m, v []T
	k          fast.AdamWCoeffs
}

func (t *adamWTask[T]) Run(_ *pool.Worker, lo, hi int) {
	p, g, m, v := t.p[lo:hi], t.g[lo:hi], t.m[lo:hi], t.v[lo:hi]
	n := 0
	if p32, ok := any(p).([]float32); ok {
		n = fast.AdamW(p32, any(g).([]float32), any(m).([]float32), any(v).([]float32), &t.k)
	}
	adamWScalar(p[n:], g[n:], m[n:], v[n:], &t.k)
}

// adamWScalar is one AdamW step of the elements of p, one at a time. p, g, m, v: [n].
func adamWScalar[T Float](p, g, m, v []T, k *fast.AdamWCoeffs) {
	for i := range p {
		gi := float64(g[i]) * k.GS
		mi := k.B1*float64(m[i]) + (1-k.B1)*gi
		vi := k.B2*float64(v[i]) + (1-k.B2)*gi*gi
		m[i], v[i] = T(mi), T(vi)
		pi := float64(p[i])
		p[i] = T(pi - k.LR*(mi*k.BC1/(math.Sqrt(vi*k.BC2)+k.Eps)+k.WD*pi))
	}
}
