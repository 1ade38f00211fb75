package webgpu

import (
	"fmt"

	"flowsphere/model/tensor"
	"flowsphere/shaders"
)

// Backend runs ops on a WebGPU device.
type Backend struct {
	rt    *shaders.Runtime
	dummy shaders.Buf // bound in place of optional tensors that are absent
}

var (
	_ tensor.Backend      = (*Backend)(nil)
	_ tensor.LossReporter = (*Backend)(nil)
	_ tensor.WorkCounter  = (*Backend)(nil)
)

// New opens the system's preferred WebGPU adapter. It returns shaders.ErrNoAdapter when
// there is none.
func New() (*Backend, error) {
	rt, err := shaders.Open()
	if err != nil {
		return nil, err
	}
	return &Backend{rt: rt, dummy: rt.Alloc(shaders.AlignElems)}, nil
}

// Runtime exposes the underlying runtime, for benchmarks.
func (be *Backend) Runtime() *shaders.Runtime { return be.rt }

// Info reports the adapter.
func (be *Backend) Info() tensor.DeviceInfo {
	a := be.rt.Adapter()
	return tensor.DeviceInfo{Backend: "webgpu", Adapter: a.Name, Type: a.Type, API: a.API, F16: be.rt.F16()}
}

// Align is the storage-binding offset alignment in elements.
func (be *Backend) Align() int { return shaders.AlignElems }

// New allocates a zero-filled tensor.
func (be *Backend) New(shape ...int) *tensor.Tensor {
	return &tensor.Tensor{Shape: append([]int(nil), shape...), Device: be.rt.Alloc(tensor.Numel(shape))}
}

// View shares t's storage from offset on; offset must be a multiple of Align.
func (be *Backend) View(t *tensor.Tensor, offset int, shape ...int) *tensor.Tensor {
	parent := buf(t)
	n := tensor.Numel(shape)
	if offset%shaders.AlignElems != 0 || offset < 0 || offset+n > parent.Len {
		panic(fmt.Sprintf("webgpu: view [%d, %d) of %v is outside or misaligned", offset, offset+n, t))
	}
	return &tensor.Tensor{Shape: append([]int(nil), shape...), Device: shaders.Buf{B: parent.B, Off: parent.Off + offset, Len: n}}
}

// Upload copies src into dst.
func (be *Backend) Upload(dst *tensor.Tensor, src []float32) { be.rt.Write(buf(dst), src) }

// Download runs queued work and copies src back.
func (be *Backend) Download(src *tensor.Tensor) ([]float32, error) { return be.rt.Read(buf(src)) }

// Free returns t's buffer to the pool.
func (be *Backend) Free(t *tensor.Tensor) {
	if t.Device != nil {
		be.rt.Release(buf(t))
		t.Device = nil
	}
}

// Flush submits queued work.
func (be *Backend) Flush() error { return be.rt.Flush() }

// Submissions counts the command buffers submitted so far.
func (be *Backend) Submissions() int { return be.rt.Submissions() }

// WorkCounts counts the dispatches, submissions and readbacks so far.
func (be *Backend) WorkCounts() tensor.WorkCounts {
	c := be.rt.Counts()
	return tensor.WorkCounts{Dispatches: c.Dispatches, Submissions: c.Submissions, Readbacks: c.Readbacks}
}

// Memory counts the device buffers the runtime holds.
func (be *Backend) Memory() tensor.MemoryStats {
	n, bytes := be.rt.Live()
	return tensor.MemoryStats{Buffers: n, Bytes: bytes}
}

// Lost reports the device's loss, wrapping tensor.ErrDeviceLost, or nil while it works.
func (be *Backend) Lost() error {
	if err := be.rt.Lost(); err != nil {
		return lostError{err}
	}
	return nil
}

// lostError is the runtime's loss, also a tensor.ErrDeviceLost, with the runtime's message.
type lostError struct{ err error }

func (e lostError) Error() string   { return e.err.Error() }
func (e lostError) Unwrap() []error { return []error{tensor.ErrDeviceLost, e.err} }

// Close releases the device.
func (be *Backend) Close() { be.rt.Close() }

// buf is the buffer range behind t.
func buf(t *tensor.Tensor) shaders.Buf { return t.Device.(shaders.Buf) }

// optional returns t's buffer and 1, or the dummy buffer and 0 when t is nil.
func (be *Backend) optional(t *tensor.Tensor) (shaders.Buf, uint32) {
	if t == nil {
		return be.dummy, 0
	}
	return buf(t), 1
}
