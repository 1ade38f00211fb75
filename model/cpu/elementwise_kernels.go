package cpu

import "flowsphere/model/cpu/pool"

// fill sets every element of out to value.
func fill[T Float](out []T, value T) {
	pool.Run(len(out), 1<<14, fillTask[T]{out, value})
}

type fillTask[T Float] struct {
	out   []T
	value T
}

func (t *fillTask[T]) Run(_ *pool.Worker, lo, hi int) {
	for i := lo; i < hi; i++ {
		t.out[i] = t.value
	}
}

// axpby computes y ← alpha·x + beta·y. x, y: [n].
func axpby[T Float](y, x []T, alpha, beta T) {
	pool.Run(len(y), 1<<14, axpbyTask[T]{y, x, alpha, beta})
}

type axpbyTask[T Float] struct {
	y, x        []T
	alpha, beta T
}

func (t *axpbyTask[T]) Run(_ *pool.Worker, lo, hi int) {
	axpbyRow(t.y[lo:hi], t.x[lo:hi], t.alpha, t.beta)
}

// rowAxpby computes y[r,:] ← alpha[r]·x[r,:] + beta[r]·y[r,:]. y, x: [rows, cols];
// alpha, beta: [rows].
func rowAxpby[T Float](y, x, alpha, beta []T, rows, cols int) {
	pool.Run(rows, max(1, 4096/max(cols, 1)), rowAxpbyTask[T]{y, x, alpha, beta, cols})
}

type rowAxpbyTask[T Float] struct {
	y, x, alpha, beta []T
	cols              int
}

func (t *rowAxpbyTask[T]) Run(_ *pool.Worker, lo, hi int) {
	cols := t.cols
	for r := lo; r < hi; r++ {
		a, b := t.alpha[r], t.beta[r]
		yr, xr := t.y[r*cols:(r+1)*cols], t.x[r*cols:(r+1)*cols]
		for c := range yr {
			yr[c] = a*xr[c] + b*yr[c]
		}
	}
}

// copy2D copies (or adds) a rows×cols block between strided layouts: dst[dstOff +
// r·dstStride + c] (+)= src[srcOff + r·srcStride + c].
func copy2D[T Float](dst, src []T, rows, cols, dstOff, dstStride, srcOff, srcStride int, accumulate bool) {
	pool.Run(rows, max(1, 4096/max(cols, 1)), copy2DTask[T]{dst, src, cols, dstOff, dstStride, srcOff, srcStride, accumulate})
}

type copy2DTask[T Float] struct {
	dst, src                                   []T
	cols, dstOff, dstStride, srcOff, srcStride int
	accumulate                                 bool
}

func (t *copy2DTask[T]) Run(_ *pool.Worker, lo, hi int) {
	for r := lo; r < hi; r++ {
		d := t.dst[t.dstOff+r*t.dstStride:][:t.cols]
		s := t.src[t.srcOff+r*t.srcStride:][:t.cols]
		if t.accumulate {
			for c := range d {
				d[c] += s[c]
			}
		} else {
			copy(d, s)
		}
	}
}

// addBroadcast adds x: [n] to every item of y: [batch, n].
func addBroadcast[T Float](y, x []T, batch, n int) {
	pool.Run(batch, max(1, 4096/max(n, 1)), addBroadcastTask[T]{y, x, n})
}

type addBroadcastTask[T Float] struct {
	y, x []T
	n    int
}

func (t *addBroadcastTask[T]) Run(_ *pool.Worker, lo, hi int) {
	for b := lo; b < hi; b++ {
		yb := t.y[b*t.n : (b+1)*t.n]
		for i, v := range t.x[:t.n] {
			yb[i] += v
		}
	}
}
