package shaders

// rngWG is the workgroup size of the rng kernel (WG in rng.wgsl); each invocation writes
// one block of four elements.
const rngWG = 256

var rngForwardKernel = Kernel{File: "rng", Entry: "rng_forward", Bindings: []Access{ReadWrite}}

// Rand fills out: [n] with the Philox4x32-10 stream (seed, counter), standard normals when
// normal, else uniform in [0, 1) (the mapping is described in rng.wgsl).
func (r *Runtime) Rand(out Buf, n int, seed, counter uint64, normal bool) {
	u := struct {
		N, Normal, SeedLo, SeedHi, CounterLo, CounterHi uint32
	}{uint32(n), b32(normal), uint32(seed), uint32(seed >> 32), uint32(counter), uint32(counter >> 32)}
	r.Dispatch(&rngForwardKernel, nil, u, Groups1D((n+3)/4, rngWG), out)
}
