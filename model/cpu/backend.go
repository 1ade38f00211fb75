package cpu

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"unsafe"

	"flowsphere/model/cpu/pool"
	"flowsphere/model/tensor"
)

// Float is the element type the kernels are written for.
type Float interface{ ~float32 | ~float64 }

// Backend is the CPU backend storing T: float32 for use, float64 for the finite-difference
// gradient checks of layers and models (tensors then live in Host64). Its matmul path is
// chosen at construction (see MatMulPath); attention runs on that path's products except on
// the reference path, and every other op is the same code on every path.
// The zero value is not usable; call New, NewWith, NewReference or New64.
type Backend[T Float] struct {
	buffers atomic.Int64
	bytes   atomic.Int64
	gemm    gemm[T]
	scratch pool.Buffer[float32] // the fast attention's head-major matrices
	acted   pool.Buffer[T]       // an operand with its activation applied (MatMulDims.ActA, LinearDims.Act)
}

var (
	_ tensor.Backend = (*Backend[float32])(nil)
	_ tensor.Backend = (*Backend[float64])(nil)
)

// New returns the fast float32 CPU backend using all GOMAXPROCS threads: matmuls on OpenBLAS
// when it loads, else on the blocked pure-Go kernel (see AutoMatMul). Info says which.
func New() *Backend[float32] {
	be, _ := NewWith(AutoMatMul) // AutoMatMul always has a path
	return be
}

// NewWith returns a float32 CPU backend multiplying matrices on path; it fails when
// BLASMatMul is asked for and OpenBLAS does not load.
func NewWith(path MatMulPath) (*Backend[float32], error) {
	g, err := gemmFor(path)
	if err != nil {
		return nil, err
	}
	return &Backend[float32]{gemm: g}, nil
}

// NewReference returns the float32 reference backend, the oracle of the op checks: plain
// loops with float64 sums for matmuls too.
func NewReference() *Backend[float32] { return &Backend[float32]{gemm: referenceGemm[float32]()} }

// New64 returns a float64 CPU backend: the reference kernels in double precision, for
// gradient checks. Upload and Download still speak float32.
func New64() *Backend[float64] { return &Backend[float64]{gemm: referenceGemm[float64]()} }

// data returns t's storage for element type T, or nil for a nil tensor (optional arguments).
func data[T Float](t *tensor.Tensor) []T {
	if t == nil {
		return nil
	}
	var zero T
	if _, ok := any(zero).(float64); ok {
		return any(t.Host64).([]T)
	}
	return any(t.Host).([]T)
}

// setData stores d as t's storage.
func setData[T Float](t *tensor.Tensor, d []T) {
	switch v := any(d).(type) {
	case []float64:
		t.Host64 = v
	case []float32:
		t.Host = v
	}
}

// Info reports the CPU, the element type and the matmul path, e.g. "Go amd64, 2 threads,
// float32, OpenBLAS 0.3.21 SkylakeX (1 thread per call)" or "…, float32, pure-Go blocked matmul".
func (be *Backend[T]) Info() tensor.DeviceInfo {
	var zero T
	return tensor.DeviceInfo{
		Backend: "cpu",
		Adapter: fmt.Sprintf("Go %s, %d threads, %T, %s", runtime.GOARCH, runtime.GOMAXPROCS(0), zero, be.gemm.name),
		Type:    "cpu",
		API:     "go",
		F16:     true, // f16Operands
	}
}

// Align is 1: any offset is a valid view.
func (be *Backend[T]) Align() int { return 1 }

// New allocates a zero-filled tensor.
func (be *Backend[T]) New(shape ...int) *tensor.Tensor {
	n := tensor.Numel(shape)
	var zero T
	be.buffers.Add(1)
	be.bytes.Add(int64(n) * int64(unsafe.Sizeof(zero)))
	t := &tensor.Tensor{Shape: append([]int(nil), shape...)}
	setData(t, make([]T, n))
	return t
}

// View shares t's storage from offset on.
func (be *Backend[T]) View(t *tensor.Tensor, offset int, shape ...int) *tensor.Tensor {
	n, d := tensor.Numel(shape), data[T](t)
	if offset < 0 || offset+n > len(d) {
		panic(fmt.Sprintf("cpu: view [%d, %d) outside %v", offset, offset+n, t))
	}
	v := &tensor.Tensor{Shape: append([]int(nil), shape...)}
	setData(v, d[offset:offset+n:offset+n])
	return v
}

// Upload copies src into dst.
func (be *Backend[T]) Upload(dst *tensor.Tensor, src []float32) {
	d := data[T](dst)
	if len(src) != len(d) {
		panic(fmt.Sprintf("cpu: upload of %d values into %v", len(src), dst))
	}
	for i, v := range src {
		d[i] = T(v)
	}
}

// Download returns a copy of src, rounded to float32.
func (be *Backend[T]) Download(src *tensor.Tensor) ([]float32, error) {
	d := data[T](src)
	out := make([]float32, len(d))
	for i, v := range d {
		out[i] = float32(v)
	}
	return out, nil
}

// Free forgets t.
func (be *Backend[T]) Free(t *tensor.Tensor) {
	d := data[T](t)
	if d == nil {
		return
	}
	var zero T
	be.buffers.Add(-1)
	be.bytes.Add(-int64(cap(d)) * int64(unsafe.Sizeof(zero)))
	setData[T](t, nil)
}

// Flush does nothing: CPU ops run when called.
func (be *Backend[T]) Flush() error { return nil }

// Memory counts live tensors allocated by New.
func (be *Backend[T]) Memory() tensor.MemoryStats {
	return tensor.MemoryStats{Buffers: int(be.buffers.Load()), Bytes: be.bytes.Load()}
}

// Close does nothing.
func (be *Backend[T]) Close() {}
