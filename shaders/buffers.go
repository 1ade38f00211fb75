package shaders

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"
)

// Buffer is one pooled storage buffer on the device.
type Buffer struct {
	gpu  *wgpu.Buffer
	size uint64 // bytes, a multiple of bufferGranule
	id   uint32 // stable identity for the bind group cache
}

// Buf is a range of float32 elements inside a Buffer: what a kernel binds.
type Buf struct {
	B   *Buffer
	Off int // first element; a multiple of AlignElems
	Len int // elements
}

// AlignElems is the element alignment of a Buf's offset: WebGPU's default
// minStorageBufferOffsetAlignment of 256 bytes.
const AlignElems = 64

// bufferGranule rounds buffer sizes so that freed buffers are reused for similar tensors.
const bufferGranule = 256

// bufferPool keeps freed buffers by size for reuse and counts live ones.
type bufferPool struct {
	runtime *Runtime
	free    map[uint64][]*Buffer
	all     map[uint32]*Buffer
	nextID  uint32
	bytes   int64
}

// Alloc returns a buffer range of n elements, zero-filled.
func (r *Runtime) Alloc(n int) Buf {
	buf := r.Scratch(n)
	r.FillConst(buf, 0)
	return buf
}

// spare returns a pooled buffer for a writable binding an op does not use this time: WebGPU
// refuses a buffer bound writable twice, or writable and read-only, with overlapping ranges
// in one dispatch, so a shared dummy cannot stand in. Release it after recording.
func (r *Runtime) spare() Buf { return r.Scratch(1) }

// Scratch returns a pooled buffer range of n elements with undefined contents, for kernels
// that overwrite it; hand it back with Release once the last op using it is recorded.
func (r *Runtime) Scratch(n int) Buf {
	size := uint64(max(n, 1)) * 4
	size = (size + bufferGranule - 1) / bufferGranule * bufferGranule
	if size > r.limits.MaxStorageBufferBindingSize {
		panic(fmt.Sprintf("shaders: a tensor of %d elements exceeds the %d-byte storage binding limit", n, r.limits.MaxStorageBufferBindingSize))
	}
	p := &r.pool
	if p.free == nil {
		p.free = map[uint64][]*Buffer{}
		p.all = map[uint32]*Buffer{}
	}
	var b *Buffer
	if list := p.free[size]; len(list) > 0 {
		b = list[len(list)-1]
		p.free[size] = list[:len(list)-1]
	} else {
		gpu, err := r.device.CreateBuffer(&wgpu.BufferDescriptor{
			Size:  size,
			Usage: wgpu.BufferUsageStorage | wgpu.BufferUsageCopySrc | wgpu.BufferUsageCopyDst,
		})
		if err != nil {
			r.fail(fmt.Errorf("shaders: create buffer of %d bytes: %w", size, err))
			panic(r.Err())
		}
		p.nextID++
		b = &Buffer{gpu: gpu, size: size, id: p.nextID}
		p.all[b.id] = b
		p.bytes += int64(size)
	}
	return Buf{B: b, Off: 0, Len: n}
}

// Release returns the whole buffer behind b to the pool. Work already recorded that uses it
// still runs first, since pooled buffers are only handed out to later calls.
func (r *Runtime) Release(b Buf) {
	if b.B == nil {
		return
	}
	r.pool.free[b.B.size] = append(r.pool.free[b.B.size], b.B)
}

// Live reports the number and bytes of device buffers the runtime holds (pooled included).
func (r *Runtime) Live() (buffers int, bytes int64) {
	n, bytes := len(r.pool.all), r.pool.bytes
	for size, list := range r.staging {
		n += len(list)
		bytes += int64(size) * int64(len(list))
	}
	return n + 2, bytes + int64(r.uniforms.size) + uploadSize
}

func (p *bufferPool) destroyAll() {
	for _, b := range p.all {
		b.gpu.Destroy()
		b.gpu.Release()
	}
	p.all, p.free, p.bytes = nil, nil, 0
}

// Write copies data into b, in program order: after every op recorded before it and before
// every op recorded after it. With work recorded, the data goes through the upload arena and
// a copy recorded into the same command buffer, so a write does not split a submission (a
// sampler's time embeddings between its network calls); otherwise, or when the arena is
// full, it is written straight into b once the recorded work is submitted.
func (r *Runtime) Write(b Buf, data []float32) {
	if len(data) != b.Len {
		panic(fmt.Sprintf("shaders: write of %d values into a %d-element buffer", len(data), b.Len))
	}
	if len(data) == 0 || r.Err() != nil {
		return
	}
	bytes := wgpu.ToBytes(data)
	if r.encoder != nil && r.uploads.fits(len(bytes)) {
		off := r.uploads.next
		r.uploads.next += uint64(len(bytes))
		if err := r.queue.WriteBuffer(r.uploads.buf, off, bytes); err != nil {
			r.fail(fmt.Errorf("shaders: write upload arena: %w", err))
			return
		}
		r.endPass()
		if err := r.encoder.CopyBufferToBuffer(r.uploads.buf, off, b.B.gpu, uint64(b.Off)*4, uint64(len(bytes))); err != nil {
			r.fail(fmt.Errorf("shaders: copy upload: %w", err))
		}
		return
	}
	if r.encoder != nil {
		if err := r.Flush(); err != nil {
			return
		}
	}
	if err := r.queue.WriteBuffer(b.B.gpu, uint64(b.Off)*4, bytes); err != nil {
		r.fail(fmt.Errorf("shaders: write buffer: %w", err))
	}
}

// Read runs all recorded work and returns a copy of b's elements. A readback that cannot
// be trusted is an error: a failed map, and in the browser any error that the runtime's
// error scopes caught since the last readback.
func (r *Runtime) Read(b Buf) ([]float32, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	size := (uint64(b.Len)*4 + 255) / 256 * 256
	var staging *wgpu.Buffer
	if list := r.staging[size]; len(list) > 0 {
		staging = list[len(list)-1]
		r.staging[size] = list[:len(list)-1]
	} else {
		var err error
		staging, err = r.device.CreateBuffer(&wgpu.BufferDescriptor{Size: size, Usage: wgpu.BufferUsageMapRead | wgpu.BufferUsageCopyDst})
		if err != nil {
			return nil, fmt.Errorf("shaders: create staging buffer: %w", err)
		}
	}
	defer func() { r.staging[size] = append(r.staging[size], staging) }()
	r.endPass()
	enc := r.ensureEncoder()
	if err := enc.CopyBufferToBuffer(b.B.gpu, uint64(b.Off)*4, staging, 0, uint64(b.Len)*4); err != nil {
		r.fail(fmt.Errorf("shaders: copy for read: %w", err))
	}
	if err := r.submit(); err != nil {
		return nil, err
	}
	r.counts.Readbacks++
	var status wgpu.BufferMapAsyncStatus
	done := false
	if err := staging.MapAsync(wgpu.MapModeRead, 0, size, func(s wgpu.BufferMapAsyncStatus) { status, done = s, true }); err != nil {
		return nil, fmt.Errorf("shaders: map for read: %w", err)
	}
	// Natively the callback runs inside a poll; in the browser MapAsync has already waited.
	r.pollUntil(func(bool) bool { return done })
	if err := r.mapped(status); err != nil {
		staging.Unmap()
		return nil, err
	}
	out := append([]float32(nil), wgpu.FromBytes[float32](staging.GetMappedRange(0, uint(b.Len)*4))...)
	staging.Unmap()
	return out, r.Err()
}
