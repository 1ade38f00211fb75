package cpu

import (
	"fmt"
	"runtime"
	"sync/atomic"

	"flowsphere/model/tensor"
)

// Float is the element type the reference kernels are written for.
type Float interface{ ~float32 | ~float64 }

// Backend is the CPU reference backend. The zero value is not usable; call New.
type Backend struct {
	buffers atomic.Int64
	bytes   atomic.Int64
}

var _ tensor.Backend = (*Backend)(nil)

// New returns a CPU backend using all GOMAXPROCS threads.
func New() *Backend { return &Backend{} }

// Info reports the CPU.
func (be *Backend) Info() tensor.DeviceInfo {
	return tensor.DeviceInfo{
		Backend: "cpu",
		Adapter: fmt.Sprintf("Go %s, %d threads", runtime.GOARCH, runtime.GOMAXPROCS(0)),
		Type:    "cpu",
		API:     "go",
	}
}

// Align is 1: any offset is a valid view.
func (be *Backend) Align() int { return 1 }

// New allocates a zero-filled tensor.
func (be *Backend) New(shape ...int) *tensor.Tensor {
	n := tensor.Numel(shape)
	be.buffers.Add(1)
	be.bytes.Add(int64(4 * n))
	return &tensor.Tensor{Shape: append([]int(nil), shape...), Host: make([]float32, n)}
}

// View shares t's storage from offset on.
func (be *Backend) View(t *tensor.Tensor, offset int, shape ...int) *tensor.Tensor {
	n := tensor.Numel(shape)
	if offset < 0 || offset+n > len(t.Host) {
		panic(fmt.Sprintf("cpu: view [%d, %d) outside %v", offset, offset+n, t))
	}
	return &tensor.Tensor{Shape: append([]int(nil), shape...), Host: t.Host[offset : offset+n : offset+n]}
}

// Upload copies src into dst.
func (be *Backend) Upload(dst *tensor.Tensor, src []float32) {
	if len(src) != len(dst.Host) {
		panic(fmt.Sprintf("cpu: upload of %d values into %v", len(src), dst))
	}
	copy(dst.Host, src)
}

// Download returns a copy of src.
func (be *Backend) Download(src *tensor.Tensor) ([]float32, error) {
	return append([]float32(nil), src.Host...), nil
}

// Free forgets t.
func (be *Backend) Free(t *tensor.Tensor) {
	if t.Host == nil {
		return
	}
	be.buffers.Add(-1)
	be.bytes.Add(-int64(4 * cap(t.Host)))
	t.Host = nil
}

// Flush does nothing: CPU ops run when called.
func (be *Backend) Flush() error { return nil }

// Memory counts live tensors allocated by New.
func (be *Backend) Memory() tensor.MemoryStats {
	return tensor.MemoryStats{Buffers: int(be.buffers.Load()), Bytes: be.bytes.Load()}
}

// Close does nothing.
func (be *Backend) Close() {}

// host returns t's storage, or nil for a nil tensor (optional arguments).
func host(t *tensor.Tensor) []float32 {
	if t == nil {
		return nil
	}
	return t.Host
}
