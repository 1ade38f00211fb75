package cpu

import (
	"sync"

	"flowsphere/model/tensor"
)

// blasLib is a BLAS library loaded at run time: its name for Info and a call of its Fortran
// sgemm_ on an argument block.
type blasLib struct {
	name  string
	sgemm func(x *sgemmArgs)
}

// loadBLAS loads OpenBLAS once per process (see openBLAS).
var loadBLAS = sync.OnceValues(openBLAS)

// sgemmArgs are the arguments of the Fortran-interface sgemm_, which takes every argument by
// reference: C = alpha·op(A)·op(B) + beta·C, column-major, A m×k, B k×n, C m×n after op.
// The block lives on the heap (a pool slot), so passing its addresses to C allocates nothing.
// The ints are 32-bit: the LP64 OpenBLAS interface.
type sgemmArgs struct {
	transA, transB byte // 'N' or 'T'
	m, n, k        int32
	lda, ldb, ldc  int32
	alpha, beta    float32
	a, b, c        *float32
	argv           [15]uintptr // the call's arguments, filled by the platform's sgemm
}

// product computes every batch item with one sgemm call on offsets into the operands, no
// copies (see product). A row-major matrix is the column-major matrix of its transpose, so
// the row-major out = op(a)·op(b) is the column-major outᵀ = op(b)ᵀ·op(a)ᵀ: sgemm gets b as
// its A and a as its B, M and N swapped, and the transpose flags and leading dimensions of
// the stored layouts. Stride 0 passes the same operand to every call; add maps to beta = 1.
func (l *blasLib) product(out, a, b []float32, d tensor.MatMulDims, add bool) {
	x := sgemmArgs{transA: 'N', transB: 'N', m: int32(d.N), n: int32(d.M), k: int32(d.K),
		lda: int32(d.N), ldb: int32(d.K), ldc: int32(d.N), alpha: 1}
	if d.TransB {
		x.transA, x.lda = 'T', int32(d.K)
	}
	if d.TransA {
		x.transB, x.ldb = 'T', int32(d.M)
	}
	if add {
		x.beta = 1
	}
	if d.Batch > 1 && d.M*d.N*d.K < blasSerialLimit {
		parallel(d.Batch, 1, blasItemsTask{l, x, out, a, b, d})
		return
	}
	p := acquire()
	defer p.release()
	args := slotFor(p, x)
	defer zero(args)
	for item := range max(d.Batch, 1) {
		args.a, args.b, args.c = &b[item*d.StrideB], &a[item*d.StrideA], &out[item*d.StrideOut]
		l.sgemm(args)
	}
}

// blasSerialLimit is OpenBLAS's own threshold: an sgemm with m·n·k below it runs on the
// calling thread alone. A batch of such products (the attention's per-head products) is
// spread over the pool instead, one item per sgemm call on each thread.
const blasSerialLimit = 65536 * 4

// blasItemsTask runs the batch items of one product on the pool.
type blasItemsTask struct {
	l         *blasLib
	x         sgemmArgs // every item's arguments but the operand addresses
	out, a, b []float32 // as for product
	d         tensor.MatMulDims
}

// run computes the batch items [lo, hi) with the worker's argument block.
func (t *blasItemsTask) run(w *worker, lo, hi int) {
	args := &w.sgemm
	*args = t.x
	defer zero(args)
	for item := lo; item < hi; item++ {
		args.a, args.b, args.c = &t.b[item*t.d.StrideB], &t.a[item*t.d.StrideA], &t.out[item*t.d.StrideOut]
		t.l.sgemm(args)
	}
}
