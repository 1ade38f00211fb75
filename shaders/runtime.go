package shaders

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/cogentcore/webgpu/wgpu"
)

// ErrNoAdapter is returned by Open when the system offers no WebGPU adapter.
var ErrNoAdapter = errors.New("shaders: no WebGPU adapter found")

// Adapter describes the device a Runtime runs on.
type Adapter struct {
	Name   string // e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
	Type   string // "cpu", "discrete-gpu", "integrated-gpu", "virtual-gpu", "unknown"
	API    string // "vulkan", "metal", "d3d12", "browser", …
	Vendor string
}

// Runtime owns one WebGPU device and everything created on it. It is not safe for
// concurrent use: run all GPU work on one goroutine.
type Runtime struct {
	instance *wgpu.Instance
	adapter  *wgpu.Adapter
	device   *wgpu.Device
	queue    *wgpu.Queue
	info     Adapter
	limits   wgpu.Limits
	f16      bool // the device runs WGSL's f16 type (F16)

	pool     bufferPool
	staging  map[uint64][]*wgpu.Buffer // map-read buffers by size, reused by Read
	modules  map[string]*wgpu.ShaderModule
	pipes    map[string]*pipeline
	groups   map[groupKey]*wgpu.BindGroup
	encoder  *wgpu.CommandEncoder
	pass     *wgpu.ComputePassEncoder
	uniforms uniformArena
	uploads  uploadArena
	pending  int // dispatches recorded since the last submit
	submits  int // command buffers submitted
	counts   Counts

	mu   sync.Mutex // guards err and lost, written from device callbacks
	err  error
	lost error // non-nil once the device is known to be lost (lost.go)
}

// Open creates a Runtime on the system's preferred adapter, with WebGPU's default limits.
func Open() (*Runtime, error) {
	instance := wgpu.CreateInstance(nil)
	adapter, err := instance.RequestAdapter(&wgpu.RequestAdapterOptions{PowerPreference: wgpu.PowerPreferenceHighPerformance})
	if err != nil || adapter == nil {
		instance.Release()
		return nil, ErrNoAdapter
	}
	r := &Runtime{
		instance: instance,
		adapter:  adapter,
		staging:  map[uint64][]*wgpu.Buffer{},
		modules:  map[string]*wgpu.ShaderModule{},
		pipes:    map[string]*pipeline{},
		groups:   map[groupKey]*wgpu.BindGroup{},
	}
	// No DeviceLostCallback: v0.23.0 passes a Go pointer through cgo for it, which the cgo
	// checker rejects. A lost device surfaces as an error from the next submit or map.
	device, err := adapter.RequestDevice(&wgpu.DeviceDescriptor{Label: "flowsphere", RequiredFeatures: f16Features(adapter)})
	if err != nil {
		adapter.Release()
		instance.Release()
		return nil, fmt.Errorf("shaders: request device: %w", err)
	}
	r.device = device
	r.queue = device.GetQueue()
	r.limits = device.GetLimits().Limits
	r.info = adapterInfo(adapter.GetInfo())
	r.f16 = r.hasF16()
	r.pool.runtime = r
	if err := r.uniforms.init(r); err != nil {
		r.Close()
		return nil, err
	}
	if err := r.uploads.init(r); err != nil {
		r.Close()
		return nil, err
	}
	r.watch()
	return r, nil
}

// adapterInfo turns wgpu's adapter description into ours.
func adapterInfo(ai wgpu.AdapterInfo) Adapter {
	// wgpu-native on Vulkan reports the device name as "0x0" and puts the real one in the
	// driver description; browsers give vendor and architecture only.
	name := ai.Name
	if name == "" || strings.HasPrefix(name, "0x") {
		name = ai.DriverDescription
	}
	if name == "" {
		name = strings.TrimSpace(ai.VendorName + " " + ai.Architecture)
	}
	typ := map[wgpu.AdapterType]string{
		wgpu.AdapterTypeDiscreteGPU:   "discrete-gpu",
		wgpu.AdapterTypeIntegratedGPU: "integrated-gpu",
		wgpu.AdapterTypeCPU:           "cpu",
	}[ai.AdapterType]
	if typ == "" {
		typ = "unknown"
	}
	return Adapter{Name: name, Type: typ, API: strings.ToLower(ai.BackendType.String()), Vendor: ai.VendorName}
}

// Adapter describes the device.
func (r *Runtime) Adapter() Adapter { return r.info }

// F16 reports whether the device runs WGSL's f16 type (the shader-f16 feature, and a
// compiler that takes it): there MatMul and MatMulAdd run products that ask for f16
// operands (MatMulShape.F16) on matmul's f16 variant.
func (r *Runtime) F16() bool { return r.f16 }

// Limits are the device's limits (WebGPU defaults unless more was asked for).
func (r *Runtime) Limits() wgpu.Limits { return r.limits }

// fail records the first error; Flush and Read report it. An error that says the device
// is lost marks the loss.
func (r *Runtime) fail(err error) {
	if reportsLoss(err) {
		r.markLost(err.Error())
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

// Err returns the first error the runtime met, or nil.
func (r *Runtime) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Close destroys every buffer and object the runtime created.
func (r *Runtime) Close() {
	if r.device == nil {
		return
	}
	r.endPass()
	if r.encoder != nil {
		r.encoder.Release()
		r.encoder = nil
	}
	if r.Lost() == nil { // a lost device finishes nothing
		r.waitIdle()
	}
	for _, g := range r.groups {
		g.Release()
	}
	for _, p := range r.pipes {
		p.release()
	}
	for _, m := range r.modules {
		m.Release()
	}
	for _, list := range r.staging {
		for _, b := range list {
			b.Destroy()
			b.Release()
		}
	}
	r.uniforms.release()
	r.uploads.release()
	r.pool.destroyAll()
	r.queue.Release()
	r.device.Release()
	r.adapter.Release()
	r.instance.Release()
	r.device = nil
}
