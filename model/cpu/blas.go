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
	if d.Batch > 1 && d.M*d.N*d.K < blasSplitLimit {
		t := blasItemsTask{l: l, x: x, out: out, a: a, b: b, d: d}
		t.splitRows = d.M >= d.N
		long := max(d.M, d.N)
		t.block = max(1, blasSerialLimit/(d.M*d.N*d.K/long+1))
		t.blocks = ceilDiv(long, t.block)
		parallel(d.Batch*t.blocks, 1, t)
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
// calling thread alone, where a larger one wakes OpenBLAS's threads, which costs more than
// a product of the attention's size (192×192×32 per head) takes.
const blasSerialLimit = 65536 * 4

// blasSplitLimit bounds the batch items that are cut into calls below blasSerialLimit and
// spread over the pool; larger items are one threaded sgemm call each.
const blasSplitLimit = 16 * blasSerialLimit

// blasItemsTask runs the batch items of one product on the pool, each cut along its longer
// output side into blocks small enough for OpenBLAS to run each call on the calling thread.
type blasItemsTask struct {
	l         *blasLib
	x         sgemmArgs // every call's arguments but the sizes and operand addresses of a block
	out, a, b []float32 // as for product
	d         tensor.MatMulDims

	splitRows     bool // blocks of output rows (M), else of output columns (N)
	block, blocks int  // rows or columns per block, blocks per item
}

// run computes the (item, block) calls [lo, hi) with the worker's argument block. In
// sgemm's column-major terms (see product) a block of output rows is a block of columns of
// C and of its B (our a); a block of output columns is a block of rows of C and of its A
// (our b). The leading dimensions stay those of the whole matrices.
func (t *blasItemsTask) run(w *worker, lo, hi int) {
	d := t.d
	args := &w.sgemm
	*args = t.x
	defer zero(args)
	for c := lo; c < hi; c++ {
		item, blk := c/t.blocks, c%t.blocks
		a, b, out := t.a[item*d.StrideA:], t.b[item*d.StrideB:], t.out[item*d.StrideOut:]
		if t.splitRows {
			i0 := blk * t.block
			args.n = int32(min(t.block, d.M-i0))
			offA := i0 * d.K // a: [M, K]
			if d.TransA {
				offA = i0 // a: [K, M]
			}
			args.a, args.b, args.c = &b[0], &a[offA], &out[i0*d.N]
		} else {
			j0 := blk * t.block
			args.m = int32(min(t.block, d.N-j0))
			offB := j0 // b: [K, N]
			if d.TransB {
				offB = j0 * d.K // b: [N, K]
			}
			args.a, args.b, args.c = &b[offB], &a[0], &out[j0]
		}
		t.l.sgemm(args)
	}
}
