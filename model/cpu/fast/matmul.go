package fast

import (
	"fmt"

	"flowsphere/model/cpu/pool"
	"flowsphere/model/tensor"
)

// Product computes out = op(a)·op(b), or adds it to out when add, for every batch item
// (strides as in tensor.MatMulDims), with M, N and K positive and the operands checked.
// out: [Batch, M, N]; a: [M, K] or [K, M]; b: [K, N] or [N, K] per item.
type Product func(out, a, b []float32, d tensor.MatMulDims, add bool)

// MatMul is tensor.Ops.MatMul on a fast product: it checks the operands on the calling
// goroutine (so a bad call panics there, not in a worker or in C), writes the bias into out
// where there is one, and has mul add the product.
// out: [Batch, M, N]; bias: [N] or nil; a, b as tensor.MatMulDims says.
func MatMul(out, a, b, bias []float32, d tensor.MatMulDims, mul Product) {
	if d.Batch > 1 && d.StrideOut < d.M*d.N {
		panic(fmt.Sprintf("cpu: MatMul output stride %d overlaps %d×%d outputs", d.StrideOut, d.M, d.N))
	}
	if d.M == 0 || d.N == 0 {
		return // an empty product: nothing to write, nothing read
	}
	checkOperands(out, a, b, bias, d)
	add := d.Accumulate || bias != nil
	if bias != nil || (d.K == 0 && !add) {
		pool.Run(max(d.Batch, 1)*d.M, max(1, 4096/d.N), addendTask{out, bias, d})
	}
	if d.K > 0 {
		mul(out, a, b, d, add)
	}
}

// checkOperands panics unless out, a, b and bias hold every element d addresses.
func checkOperands(out, a, b, bias []float32, d tensor.MatMulDims) {
	items := max(d.Batch, 1)
	checkOperand("out", len(out), items, d.StrideOut, d.M*d.N)
	checkOperand("a", len(a), items, d.StrideA, d.M*d.K)
	checkOperand("b", len(b), items, d.StrideB, d.K*d.N)
	if bias != nil && len(bias) < d.N {
		panic(fmt.Sprintf("cpu: MatMul bias has %d elements, want %d", len(bias), d.N))
	}
}

// checkOperand panics unless n elements hold items matrices of size elements at stride.
func checkOperand(name string, n, items, stride, size int) {
	if size > 0 && (stride < 0 || (items-1)*stride+size > n) {
		panic(fmt.Sprintf("cpu: MatMul %s has %d elements; %d items of %d at stride %d need more", name, n, items, size, stride))
	}
}

// addendTask writes what the product is added to into every output row: the bias, the bias
// plus the prior row (Accumulate), or zero (no bias, no Accumulate, K = 0).
type addendTask struct {
	out, bias []float32 // [Batch, M, N] at stride StrideOut; [N] or nil
	d         tensor.MatMulDims
}

// Run handles the output rows [lo, hi) of the Batch·M rows.
func (t *addendTask) Run(_ *pool.Worker, lo, hi int) {
	d := t.d
	for r := lo; r < hi; r++ {
		o := t.out[(r/d.M)*d.StrideOut+(r%d.M)*d.N:][:d.N]
		switch {
		case t.bias == nil:
			clear(o)
		case d.Accumulate:
			for j, v := range t.bias[:d.N] {
				o[j] += v
			}
		default:
			copy(o, t.bias[:d.N])
		}
	}
}

// ceilDiv is ⌈a/b⌉ for positive b.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// roundUp is a rounded up to a multiple of m.
func roundUp(a, m int) int { return ceilDiv(a, m) * m }
