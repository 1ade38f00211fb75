package cpu

import "flowsphere/model/cpu/pool"

// muonMomentum is Muon's Nesterov momentum: with ĝ = scale[0]·g, buf ← mu·buf + ĝ and
// u ← ĝ + mu·buf (the updated buf). When scale[1] is 0 (a non-finite gradient) nothing
// changes. u, buf, g: [n]; scale: [2].
func muonMomentum[T Float](u, buf, g, scale []T, mu T) {
	if scale[1] == 0 {
		return
	}
	pool.Run(len(u), 1<<14, muonMomentumTask[T]{u, buf, g, scale[0], mu})
}

type muonMomentumTask[T Float] struct {
	u, buf, g []T
	gs, mu    T
}

func (t *muonMomentumTask[T]) Run(_ *pool.Worker, lo, hi int) {
	for i := lo; i < hi; i++ {
		g := t.gs * t.g[i]
		b := t.mu*t.buf[i] + g
		t.buf[i] = b
		t.u[i] = g + t.mu*b
	}
}

// muonApply is Muon's parameter step p ← p − lr·o − decay·p. When scale[1] is 0 nothing
// changes. p, o: [n]; scale: [2].
func muonApply[T Float](p, o, scale []T, lr, decay T) {
	if scale[1] == 0 {
		return
	}
	pool.Run(len(p), 1<<14, muonApplyTask[T]{p, o, lr, decay})
}

type muonApplyTask[T Float] struct {
	p, o      []T
	lr, decay T
}

func (t *muonApplyTask[T]) Run(_ *pool.Worker, lo, hi int) {
	for i := lo; i < hi; i++ {
		t.p[i] = t.p[i] - t.lr*t.o[i] - t.decay*t.p[i]
	}
}
