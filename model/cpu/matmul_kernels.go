package cpu

import (
	"fmt"

	"flowsphere/model/cpu/pool"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// checkMatMul panics when the batch items of out overlap: they are computed in parallel.
func checkMatMul(d tensor.MatMulDims) {
	if d.Batch > 1 && d.StrideOut < d.M*d.N {
		panic(fmt.Sprintf("cpu: MatMul output stride %d overlaps %d×%d outputs", d.StrideOut, d.M, d.N))
	}
}

// matmul is the reference MatMul: out = op(a)·op(b) (+ bias) for every batch item (see
// tensor.MatMulDims), one output row at a time with float64 sums over K, in parallel over
// batch·M rows. out: [Batch, M, N] at stride StrideOut; a: [M, K] ([K, M] when TransA) at
// stride StrideA; b: [K, N] ([N, K] when TransB) at stride StrideB; bias: [N] or nil.
func matmul[T Float](out, a, b, bias []T, d tensor.MatMulDims) {
	checkMatMul(d)
	rows := max(d.Batch, 1) * d.M
	pool.Run(rows, max(1, (1<<15)/max(d.N*d.K, 1)), matmulTask[T]{out, a, b, bias, d})
}

type matmulTask[T Float] struct {
	out, a, b, bias []T
	d               tensor.MatMulDims
}

// run computes the output rows [lo, hi) of the batch·M rows.
func (t *matmulTask[T]) Run(w *pool.Worker, lo, hi int) {
	d := t.d
	m, n, k := d.M, d.N, d.K
	buf := w.Float64s(k + n)
	aRow, acc := buf[:k], buf[k:]
	for r := lo; r < hi; r++ {
		item, i := r/m, r%m
		aItem, bItem := t.a[item*d.StrideA:], t.b[item*d.StrideB:]
		for kk := range aRow {
			if d.TransA {
				aRow[kk] = float64(aItem[kk*m+i])
			} else {
				aRow[kk] = float64(aItem[i*k+kk])
			}
		}
		rowTimes(acc, aRow, bItem, n, d.TransB)
		o := t.out[item*d.StrideOut+i*n : item*d.StrideOut+(i+1)*n]
		for j := range o {
			s := acc[j]
			if t.bias != nil {
				s += float64(t.bias[j])
			}
			if d.Accumulate {
				s += float64(o[j])
			}
			o[j] = T(s)
		}
	}
}

// f16Operands returns copies of a and b rounded to float16 (to nearest, ties to even) when
// d.F16, else a and b themselves, so that an F16 product is the exact product of the
// rounded operands: the reference of WebGPU's f16 variant. a, b: as tensor.MatMulDims says.
func f16Operands[T Float](a, b []T, d tensor.MatMulDims) ([]T, []T) {
	if !d.F16 {
		return a, b
	}
	round := func(x []T) []T {
		out := make([]T, len(x))
		for i, v := range x {
			out[i] = T(weights.FromF16(weights.ToF16(float32(v))))
		}
		return out
	}
	return round(a), round(b)
}

// rowTimes sets acc[j] = Σ_k aRow[k]·op(b)[k,j] in float64, walking b in memory order.
// acc: [N]; aRow: [K]; b: [K, N], or [N, K] when transB.
func rowTimes[T Float](acc, aRow []float64, b []T, n int, transB bool) {
	k := len(aRow)
	if transB {
		for j := range acc {
			s := 0.0
			for kk, v := range b[j*k : (j+1)*k] {
				s += aRow[kk] * float64(v)
			}
			acc[j] = s
		}
		return
	}
	clear(acc)
	for kk, av := range aRow {
		for j, v := range b[kk*n : (kk+1)*n] {
			acc[j] += av * float64(v)
		}
	}
}

// matMulAdd computes out = res + op(a)·op(b) + bias: res copied into every output item, then
// the product (and bias) added to it by mul (the backend's MatMul).
// out, res: [Batch, M, N] at stride StrideOut; a, b as tensor.MatMulDims; bias: [N] or nil.
func matMulAdd[T Float](out, res, a, b, bias []T, d tensor.MatMulDims, mul func(out, a, b, bias []T, d tensor.MatMulDims)) {
	for item := range max(d.Batch, 1) {
		o := item * d.StrideOut
		copy(out[o:o+d.M*d.N], res[o:o+d.M*d.N])
	}
	d.Accumulate = true
	mul(out, a, b, bias, d)
}

// linearBackward is a linear layer's backward for a layer applied to f(x), f = d.Act or
// the identity: dIn (+)= (dY·W)·f'(x) unless dIn is nil and dW += dYᵀ·f(x) by mul (the
// backend's MatMul), and, when dB is not nil, dB += Σ_r dY[r,:] (sumRows). buf holds f(x)
// and the product dY·W while f is not the identity. dIn, x: [Rows, In]; dW, w: [Out, In];
// dB: [Out] or nil; dY: [Rows, Out].
func linearBackward[T Float](dIn, dW, dB, dY, w, x []T, d tensor.LinearDims, mul func(out, a, b, bias []T, d tensor.MatMulDims), buf *pool.Buffer[T]) {
	rows, out, in := d.Rows, d.Out, d.In
	if dIn != nil {
		dx := tensor.MatMulDims{M: rows, N: in, K: out, Accumulate: d.Accumulate}
		if d.Act == tensor.Identity {
			mul(dIn, dY, w, nil, dx)
		} else {
			dx.Accumulate = false
			prod, held := buf.Take(rows * in)
			mul(prod, dY, w, nil, dx)
			actBackward(prod, prod, x[:rows*in], d.Act)
			if d.Accumulate {
				axpby(dIn[:rows*in], prod, 1, 1)
			} else {
				copy(dIn, prod)
			}
			buf.Give(held)
		}
	}
	fx, held := activated(buf, x[:rows*in], d.Act)
	mul(dW, dY, fx, nil, tensor.MatMulDims{M: out, N: in, K: rows, TransA: true, Accumulate: true})
	buf.Give(held)
	if dB != nil {
		sumRows(dB, dY, rows, out)
	}
}

// activated returns x itself for the identity, else f(x) in buf, with whether buf is held
// (see pool.Buffer.Give).
func activated[T Float](buf *pool.Buffer[T], x []T, f tensor.Activation) ([]T, bool) {
	if f == tensor.Identity {
		return x, false
	}
	fx, held := buf.Take(len(x))
	act(fx, x, f)
	return fx, held
}

// sumRows adds the column sums of in to out: out[c] += Σ_r in[r,c], summed in float64 in
// parallel over column strips (stripCols).
// out: [cols]; in: [rows, cols].
func sumRows[T Float](out, in []T, rows, cols int) {
	pool.Run(ceilDiv(cols, stripCols), 1, sumRowsTask[T]{out, in, rows, cols})
}

type sumRowsTask[T Float] struct {
	out, in    []T
	rows, cols int
}

// run sums the column strips [lo, hi).
func (t *sumRowsTask[T]) Run(w *pool.Worker, lo, hi int) {
	c0, c1 := stripColumns(lo, hi, t.cols)
	acc := w.Float64s(c1 - c0)
	clear(acc)
	columnSums(acc, t.in[c0:], nil, nil, t.rows, t.cols)
	for c, s := range acc {
		t.out[c0+c] = T(float64(t.out[c0+c]) + s)
	}
}

// transpose swaps the last two axes, out[b,c,r] = in[b,r,c], in parallel over the output
// rows. in: [batch, rows, cols]; out: [batch, cols, rows].
func transpose[T Float](out, in []T, batch, rows, cols int) {
	pool.Run(batch*cols, max(1, 4096/max(rows, 1)), transposeTask[T]{out, in, rows, cols})
}

type transposeTask[T Float] struct {
	out, in    []T
	rows, cols int
}

// run fills the output rows [lo, hi) of the batch·cols rows.
func (t *transposeTask[T]) Run(_ *pool.Worker, lo, hi int) {
	rows, cols := t.rows, t.cols
	for oc := lo; oc < hi; oc++ {
		item, c := oc/cols, oc%cols
		src, dst := t.in[item*rows*cols:], t.out[oc*rows:(oc+1)*rows]
		for r := range dst {
			dst[r] = src[r*cols+c]
		}
	}
}
