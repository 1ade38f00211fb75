package fast

import (
	"runtime"
	"sync"

	"flowsphere/model/cpu/pool"
	"flowsphere/model/tensor"
)

// blasLib is a BLAS library loaded at run time: its name for Info and a call of its Fortran
// sgemm_ on an argument block.
type blasLib struct {
	name     string
	sgemm    func(x *sgemmArgs)
	partials pool.Buffer[float32] // splitK's partial outputs
}

// loadBLAS loads OpenBLAS once per process (see openBLAS).
var loadBLAS = sync.OnceValues(openBLAS)

// BLAS loads OpenBLAS (once per process) and returns its name and version for the
// backend's Info, e.g. "OpenBLAS 0.3.21 SkylakeX (1 thread per call)", and its product, or
// the reason it does not load.
func BLAS() (name string, mul Product, err error) {
	lib, err := loadBLAS()
	if err != nil {
		return "", nil, err
	}
	return lib.name, lib.product, nil
}

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

// product computes out = op(a)·op(b) with single-threaded sgemm calls on offsets into the
// operands, no copies (see Product): the items of a batch spread over the pool, one call
// each; a single product below blasSerialLimit in one call on the calling thread, a larger
// one in contraction chunks when the contraction is long (splitK), else in blocks of out
// (blasBlocksTask), on the pool. A row-major matrix is the column-major matrix of its
// transpose, so the row-major out = op(a)·op(b) is the column-major outᵀ = op(b)ᵀ·op(a)ᵀ:
// sgemm gets b as its A and a as its B, M and N swapped, and the transpose flags and leading
// dimensions of the stored layouts. Stride 0 passes the same operand to every call; add maps to beta = 1.
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
	switch {
	case d.Batch > 1:
		pool.Run(d.Batch, 1, blasItemsTask{l, x, out, a, b, d})
	case d.M*d.N*d.K < blasSerialLimit:
		pool.Run(1, 1, blasItemsTask{l, x, out, a, b, d}) // one item: on the calling goroutine
	case d.K >= blasSplitKRatio*max(d.M, d.N):
		l.splitK(out, a, b, x, d)
	default:
		// Blocks of the longer side of out, about two per thread, so that a thread slowed
		// by other work does not hold up the product.
		long := max(d.M, d.N)
		threads := runtime.GOMAXPROCS(0)
		grain := max(blasMinBlock, (long+2*threads-1)/(2*threads))
		pool.Run(long, grain, blasBlocksTask{l, x, out, a, b, d})
	}
}

// blasSerialLimit is the m·n·k below which one product runs as one sgemm call on the
// calling thread: splitting it would cost more than it saves.
const blasSerialLimit = 65536 * 4

// blasMinBlock is the fewest output rows (or columns) of one block of a split product.
const blasMinBlock = 32

// blasSplitKRatio is how many times longer than out's longer side the contraction must be
// for a product to be split along it (splitK): a weight gradient dYᵀ·X sums over every
// token row into a small E×E output, and blocks of that output would each pack all of X.
const blasSplitKRatio = 4

// blasItemsTask runs the batch items of one product on the pool.
type blasItemsTask struct {
	l         *blasLib
	x         sgemmArgs // every item's arguments but the operand addresses
	out, a, b []float32 // as for product
	d         tensor.MatMulDims
}

// Run computes the batch items [lo, hi) with the worker's argument block.
func (t *blasItemsTask) Run(w *pool.Worker, lo, hi int) {
	args := pool.Slot[sgemmArgs](w)
	*args = t.x
	defer clearArgs(args)
	for item := lo; item < hi; item++ {
		args.a, args.b, args.c = &t.b[item*t.d.StrideB], &t.a[item*t.d.StrideA], &t.out[item*t.d.StrideOut]
		t.l.sgemm(args)
	}
}

// blasBlocksTask runs one product (Batch ≤ 1) as blocks of out's rows when M ≥ N, else of its
// columns, one sgemm call per block on each pool thread. The blocks keep the leading
// dimensions and move the operand addresses: rows [lo, hi) of out take rows [lo, hi) of
// op(a), columns take columns of op(b).
type blasBlocksTask blasItemsTask

// Run computes the blocks covering [lo, hi) of out's longer side.
func (t *blasBlocksTask) Run(w *pool.Worker, lo, hi int) {
	args := pool.Slot[sgemmArgs](w)
	*args = t.x
	defer clearArgs(args)
	d := t.d
	if d.M >= d.N {
		// sgemm's n is out's rows; its B is op(a): row i of op(a) starts at a[i·K] stored
		// M×K, at a[i] stored K×M (TransA).
		aOff := lo * d.K
		if d.TransA {
			aOff = lo
		}
		args.n = int32(hi - lo)
		args.a, args.b, args.c = &t.b[0], &t.a[aOff], &t.out[lo*d.N]
	} else {
		// sgemm's m is out's columns; its A is op(b): column j of op(b) starts at b[j]
		// stored K×N, at b[j·K] stored N×K (TransB).
		bOff := lo
		if d.TransB {
			bOff = lo * d.K
		}
		args.m = int32(hi - lo)
		args.a, args.b, args.c = &t.b[bOff], &t.a[0], &t.out[lo]
	}
	t.l.sgemm(args)
}

// splitK computes one product (Batch ≤ 1) in one contraction chunk per thread: the first
// chunk into out with the call's beta, each other into a partial output, which are then
// added to out. x: the product's sgemm arguments.
func (l *blasLib) splitK(out, a, b []float32, x sgemmArgs, d tensor.MatMulDims) {
	threads := runtime.GOMAXPROCS(0)
	chunk := (d.K + threads - 1) / threads
	size := d.M * d.N
	partials, held := l.partials.Take((threads - 1) * size)
	defer l.partials.Give(held)
	pool.Run(threads, 1, blasSplitKTask{blasItemsTask{l, x, out, a, b, d}, partials, chunk})
	for c := 1; c*chunk < d.K; c++ {
		add(out[:size], partials[(c-1)*size:][:size])
	}
}

// blasSplitKTask computes contraction chunks [lo, hi) of splitK: chunk c sums over the
// contraction range [c·chunk, (c+1)·chunk), into out for c = 0, else into partials[c−1].
type blasSplitKTask struct {
	blasItemsTask
	partials []float32 // [chunks−1, M, N]
	chunk    int
}

func (t *blasSplitKTask) Run(w *pool.Worker, lo, hi int) {
	args := pool.Slot[sgemmArgs](w)
	defer clearArgs(args)
	d := t.d
	for c := lo; c < hi; c++ {
		k0 := c * t.chunk
		if k0 >= d.K {
			break
		}
		*args = t.x
		args.k = int32(min(d.K, k0+t.chunk) - k0)
		// Column k0 of op(a): a[k0] stored M×K, a[k0·M] stored K×M (TransA). Row k0 of
		// op(b): b[k0·N] stored K×N, b[k0] stored N×K (TransB).
		aOff, bOff := k0, k0*d.N
		if d.TransA {
			aOff = k0 * d.M
		}
		if d.TransB {
			bOff = k0
		}
		args.a, args.b, args.c = &t.b[bOff], &t.a[aOff], &t.out[0]
		if c > 0 {
			args.beta, args.c = 0, &t.partials[(c-1)*d.M*d.N]
		}
		t.l.sgemm(args)
	}
}

// clearArgs drops an argument block's references to the operands until its next call.
func clearArgs(args *sgemmArgs) { *args = sgemmArgs{} }

// add sets dst[i] += src[i], in vector lanes where the build has them. dst, src: [n].
func add(dst, src []float32) {
	n := Axpby(dst, src, 1, 1)
	for i := n; i < len(dst); i++ {
		dst[i] += src[i]
	}
}
