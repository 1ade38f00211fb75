package shaders

// muonWG is the workgroup size of the Muon kernels (WG in muon.wgsl).
const muonWG = 256

var (
	muonMomentumKernel = Kernel{File: "muon", Entry: "muon_momentum", Bindings: []Access{ReadWrite, ReadWrite, Read, Read}}
	muonApplyKernel    = Kernel{File: "muon", Entry: "muon_apply", Bindings: []Access{ReadWrite, Read, Read}}
)

// MuonMomentum takes Muon's Nesterov momentum step (see muon_momentum in muon.wgsl).
// u, buf, g: [n]; scale: [2].
func (r *Runtime) MuonMomentum(u, buf, g, scale Buf, n int, mu float32) {
	uni := struct {
		N  uint32
		Mu float32
	}{uint32(n), mu}
	r.Dispatch(&muonMomentumKernel, nil, uni, Groups1D(n, muonWG), u, buf, g, scale)
}

// MuonApply takes Muon's parameter step p ← p − lr·o − decay·p (see muon_apply).
// p, o: [n]; scale: [2].
func (r *Runtime) MuonApply(p, o, scale Buf, n int, lr, decay float32) {
	uni := struct {
		N         uint32
		Lr, Decay float32
	}{uint32(n), lr, decay}
	r.Dispatch(&muonApplyKernel, nil, uni, Groups1D(n, muonWG), p, o, scale)
}
