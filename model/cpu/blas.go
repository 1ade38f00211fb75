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
	p := acquire()
	defer p.release()
	args := slotFor(p, x)
	defer zero(args)
	for item := range max(d.Batch, 1) {
		args.a, args.b, args.c = &b[item*d.StrideB], &a[item*d.StrideA], &out[item*d.StrideOut]
		l.sgemm(args)
	}
}
