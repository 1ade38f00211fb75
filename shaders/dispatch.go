package shaders

import (
	"embed"
	"encoding/binary"
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"
)

//go:embed *.wgsl
var sources embed.FS

// Access says how a kernel binds a storage buffer.
type Access int

// The storage access modes.
const (
	Read      Access = iota // var<storage, read>
	ReadWrite               // var<storage, read_write>
)

// Kernel names one WGSL entry point and its bindings: @binding(0) is always the uniform
// struct, @binding(1…) the storage buffers in the order of Bindings (at most 8).
type Kernel struct {
	File     string // file name without .wgsl, the family
	Entry    string // entry point, <family>_<pass>
	Bindings []Access
}

// pipeline is a compiled kernel with its explicit layouts.
type pipeline struct {
	id     int
	pipe   *wgpu.ComputePipeline
	group  *wgpu.BindGroupLayout
	layout *wgpu.PipelineLayout
}

func (p *pipeline) release() {
	p.pipe.Release()
	p.layout.Release()
	p.group.Release()
}

// maxBindings is WebGPU's default maxStorageBuffersPerShaderStage.
const maxBindings = 8

// groupKey identifies a bind group: the pipeline, the uniform slot and every bound range.
type groupKey struct {
	pipe, slot int
	bufs       [maxBindings][3]uint32 // buffer id, offset, length
}

// uniformSlot is the stride of the uniform arena: WebGPU's minUniformBufferOffsetAlignment.
const uniformSlot = 256

// uniformSlots bounds the dispatches of one submission; more submits early.
const uniformSlots = 2048

// uniformArena holds the uniforms of every dispatch of one submission, one slot each, and
// uploads them in one write just before the submit. Slots are reused in the same order
// every step, so bind groups keyed by slot are built once.
type uniformArena struct {
	buf  *wgpu.Buffer
	size uint64
	data []byte
	next int
}

func (u *uniformArena) init(r *Runtime) error {
	u.size = uniformSlot * uniformSlots
	b, err := r.device.CreateBuffer(&wgpu.BufferDescriptor{Size: u.size, Usage: wgpu.BufferUsageUniform | wgpu.BufferUsageCopyDst})
	if err != nil {
		return fmt.Errorf("shaders: create uniform buffer: %w", err)
	}
	u.buf = b
	u.data = make([]byte, u.size)
	return nil
}

func (u *uniformArena) release() {
	if u.buf != nil {
		u.buf.Destroy()
		u.buf.Release()
	}
}

// uploadSize is the upload arena's size in bytes: a few sampler time embeddings or a batch
// of images; a larger write between recorded ops submits them first.
const uploadSize = 1 << 20

// uploadArena stages the writes made while work is recorded (Runtime.Write). The queue
// writes each into the arena before the submission whose copies read it; a later write to
// the same bytes, after that submit, is ordered after the submission by the queue, so the
// arena starts over at every submit.
type uploadArena struct {
	buf  *wgpu.Buffer
	next uint64 // bytes staged for the current submission
}

func (u *uploadArena) init(r *Runtime) error {
	b, err := r.device.CreateBuffer(&wgpu.BufferDescriptor{Size: uploadSize, Usage: wgpu.BufferUsageCopySrc | wgpu.BufferUsageCopyDst})
	if err != nil {
		return fmt.Errorf("shaders: create upload buffer: %w", err)
	}
	u.buf = b
	return nil
}

// fits says whether n more bytes fit into this submission's part of the arena.
func (u *uploadArena) fits(n int) bool { return u.next+uint64(n) <= uploadSize }

func (u *uploadArena) release() {
	if u.buf != nil {
		u.buf.Destroy()
		u.buf.Release()
	}
}

// Groups1D returns the workgroup grid for n invocations of wg threads each, spread over
// x and y so that no dimension exceeds 65535. Kernels recover the flat index as
// gid.x + gid.y · num_workgroups.x · wg.
func Groups1D(n, wg int) [3]uint32 {
	g := (n + wg - 1) / wg
	if g <= 65535 {
		return [3]uint32{uint32(max(g, 1)), 1, 1}
	}
	y := (g + 65535 - 1) / 65535
	return [3]uint32{uint32((g + y - 1) / y), uint32(y), 1}
}

// Dispatch records one kernel run: uniform is a struct of 4-byte fields matching the WGSL
// uniform struct; consts specialise module-scope constants (nil for none); bufs bind in
// order from @binding(1).
func (r *Runtime) Dispatch(k *Kernel, consts map[string]string, uniform any, groups [3]uint32, bufs ...Buf) {
	if r.Err() != nil {
		return
	}
	if len(bufs) != len(k.Bindings) {
		panic(fmt.Sprintf("shaders: %s takes %d buffers, got %d", k.Entry, len(k.Bindings), len(bufs)))
	}
	checkAliasing(k, bufs)
	p, err := r.pipeline(k, consts)
	if err != nil {
		r.fail(err)
		return
	}
	if r.uniforms.next == uniformSlots {
		if r.Flush() != nil {
			return
		}
	}
	slot := r.uniforms.next
	r.uniforms.next++
	ub, err := binary.Append(r.uniforms.data[slot*uniformSlot:slot*uniformSlot], binary.LittleEndian, uniform)
	if err != nil || len(ub) > uniformSlot {
		panic(fmt.Sprintf("shaders: uniform of %s does not encode into %d bytes: %v", k.Entry, uniformSlot, err))
	}
	group, err := r.bindGroup(p, slot, k, bufs)
	if err != nil {
		r.fail(err)
		return
	}
	pass := r.ensurePass()
	pass.SetPipeline(p.pipe)
	pass.SetBindGroup(0, group, nil)
	pass.DispatchWorkgroups(groups[0], groups[1], groups[2])
	r.pending++
	r.counts.Dispatches++
}

// pipeline returns the compiled pipeline for k with consts, building it on first use.
func (r *Runtime) pipeline(k *Kernel, consts map[string]string) (*pipeline, error) {
	key := k.File + "/" + k.Entry + "/" + constKey(consts)
	if p := r.pipes[key]; p != nil {
		return p, nil
	}
	modKey := k.File + "/" + constKey(consts)
	mod := r.modules[modKey]
	if mod == nil {
		src, err := moduleSource(k.File)
		if err != nil {
			return nil, err
		}
		code, err := Specialize(src, consts)
		if err != nil {
			return nil, err
		}
		mod, err = r.device.CreateShaderModule(&wgpu.ShaderModuleDescriptor{
			Label:          k.File,
			WGSLDescriptor: &wgpu.ShaderModuleWGSLDescriptor{Code: code},
		})
		if err != nil {
			return nil, fmt.Errorf("shaders: compile %s.wgsl: %w", k.File, err)
		}
		r.modules[modKey] = mod
	}
	entries := []wgpu.BindGroupLayoutEntry{{
		Binding: 0, Visibility: wgpu.ShaderStageCompute,
		Buffer: wgpu.BufferBindingLayout{Type: wgpu.BufferBindingTypeUniform},
	}}
	for i, a := range k.Bindings {
		typ := wgpu.BufferBindingTypeReadOnlyStorage
		if a == ReadWrite {
			typ = wgpu.BufferBindingTypeStorage
		}
		entries = append(entries, wgpu.BindGroupLayoutEntry{
			Binding: uint32(i + 1), Visibility: wgpu.ShaderStageCompute,
			Buffer: wgpu.BufferBindingLayout{Type: typ},
		})
	}
	group, err := r.device.CreateBindGroupLayout(&wgpu.BindGroupLayoutDescriptor{Label: k.Entry, Entries: entries})
	if err != nil {
		return nil, fmt.Errorf("shaders: bind group layout of %s: %w", k.Entry, err)
	}
	layout, err := r.device.CreatePipelineLayout(&wgpu.PipelineLayoutDescriptor{Label: k.Entry, BindGroupLayouts: []*wgpu.BindGroupLayout{group}})
	if err != nil {
		return nil, fmt.Errorf("shaders: pipeline layout of %s: %w", k.Entry, err)
	}
	pipe, err := r.device.CreateComputePipeline(&wgpu.ComputePipelineDescriptor{
		Layout:  layout,
		Compute: wgpu.ProgrammableStageDescriptor{Module: mod, EntryPoint: k.Entry},
	})
	if err != nil {
		return nil, fmt.Errorf("shaders: pipeline %s: %w", k.Entry, err)
	}
	p := &pipeline{id: len(r.pipes) + 1, pipe: pipe, group: group, layout: layout}
	r.pipes[key] = p
	return p, nil
}

// maxGroups bounds the bind group cache; past it the cache starts over.
const maxGroups = 1 << 14

// bindGroup returns the cached bind group for this pipeline, slot and buffers.
func (r *Runtime) bindGroup(p *pipeline, slot int, k *Kernel, bufs []Buf) (*wgpu.BindGroup, error) {
	key := groupKey{pipe: p.id, slot: slot}
	for i, b := range bufs {
		if b.B == nil {
			return nil, fmt.Errorf("shaders: %s: buffer %d is nil", k.Entry, i+1)
		}
		if b.Off%AlignElems != 0 {
			return nil, fmt.Errorf("shaders: %s: buffer %d offset %d is not a multiple of %d", k.Entry, i+1, b.Off, AlignElems)
		}
		key.bufs[i] = [3]uint32{b.B.id, uint32(b.Off), uint32(b.Len)}
	}
	if g := r.groups[key]; g != nil {
		return g, nil
	}
	if len(r.groups) >= maxGroups {
		// Recorded passes keep their own references, so releasing here is safe.
		for k, g := range r.groups {
			g.Release()
			delete(r.groups, k)
		}
	}
	entries := []wgpu.BindGroupEntry{{Binding: 0, Buffer: r.uniforms.buf, Offset: uint64(slot * uniformSlot), Size: uniformSlot}}
	for i, b := range bufs {
		entries = append(entries, wgpu.BindGroupEntry{
			Binding: uint32(i + 1), Buffer: b.B.gpu,
			Offset: uint64(b.Off) * 4, Size: uint64(max(b.Len, 1)) * 4,
		})
	}
	g, err := r.device.CreateBindGroup(&wgpu.BindGroupDescriptor{Label: k.Entry, Layout: p.group, Entries: entries})
	if err != nil {
		return nil, fmt.Errorf("shaders: bind group of %s: %w", k.Entry, err)
	}
	r.groups[key] = g
	return g, nil
}

func (r *Runtime) ensureEncoder() *wgpu.CommandEncoder {
	if r.encoder == nil {
		enc, err := r.device.CreateCommandEncoder(nil)
		if err != nil {
			r.fail(fmt.Errorf("shaders: command encoder: %w", err))
			panic(r.Err())
		}
		r.encoder = enc
	}
	return r.encoder
}

func (r *Runtime) ensurePass() *wgpu.ComputePassEncoder {
	if r.pass == nil {
		r.pass = r.ensureEncoder().BeginComputePass(nil)
	}
	return r.pass
}

// endPass closes the open compute pass; wgpu-native needs the pass released before Finish.
func (r *Runtime) endPass() {
	if r.pass == nil {
		return
	}
	if err := endComputePass(r.pass); err != nil {
		r.fail(fmt.Errorf("shaders: end pass: %w", err))
	}
	r.pass.Release()
	r.pass = nil
}

// submit uploads the uniforms and submits the recorded command buffer. After an error it
// drops the recorded work instead: natively a failing submit aborts the process.
func (r *Runtime) submit() error {
	r.endPass()
	if r.encoder == nil {
		return r.check()
	}
	if err := r.check(); err != nil {
		r.encoder.Release()
		r.encoder = nil
		r.uniforms.next, r.uploads.next, r.pending = 0, 0, 0
		return err
	}
	if n := r.uniforms.next; n > 0 {
		if err := r.queue.WriteBuffer(r.uniforms.buf, 0, r.uniforms.data[:n*uniformSlot]); err != nil {
			r.fail(fmt.Errorf("shaders: write uniforms: %w", err))
		}
	}
	cmd, err := r.encoder.Finish(nil)
	r.encoder.Release()
	r.encoder = nil
	r.uniforms.next, r.uploads.next = 0, 0
	r.pending = 0
	if err != nil {
		r.fail(fmt.Errorf("shaders: finish commands: %w", err))
		return r.Err()
	}
	r.queue.Submit(cmd)
	cmd.Release()
	r.submits++
	return r.Err()
}

// Submissions counts the command buffers submitted so far.
func (r *Runtime) Submissions() int { return r.submits }

// Flush submits all recorded work.
func (r *Runtime) Flush() error { return r.submit() }

// checkAliasing panics when two bindings of one dispatch overlap in one buffer and either is
// writable: browsers refuse such a dispatch (a validation error that loses the step), while
// the native runtime runs it, so the native tests would not notice.
func checkAliasing(k *Kernel, bufs []Buf) {
	for i, a := range bufs {
		for j := i + 1; j < len(bufs); j++ {
			b := bufs[j]
			writable := k.Bindings[i] == ReadWrite || k.Bindings[j] == ReadWrite
			if writable && a.B == b.B && a.Off < b.Off+max(b.Len, 1) && b.Off < a.Off+max(a.Len, 1) {
				panic(fmt.Sprintf("shaders: %s binds one buffer's overlapping ranges to bindings %d and %d, one of them writable", k.Entry, i+1, j+1))
			}
		}
	}
}
