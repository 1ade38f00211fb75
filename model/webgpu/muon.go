package webgpu

import "flowsphere/model/tensor"

// MuonMomentum takes Muon's Nesterov momentum step on mom and writes the update u.
func (be *Backend) MuonMomentum(u, mom, g, scale *tensor.Tensor, n int, mu float32) {
	be.rt.MuonMomentum(buf(u), buf(mom), buf(g), buf(scale), n, mu)
}

// MuonApply takes Muon's parameter step on p.
func (be *Backend) MuonApply(p, o, scale *tensor.Tensor, n int, lr, decay float32) {
	be.rt.MuonApply(buf(p), buf(o), buf(scale), n, lr, decay)
}
