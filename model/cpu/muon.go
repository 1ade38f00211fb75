package cpu

import "flowsphere/model/tensor"

// MuonMomentum takes Muon's Nesterov momentum step on buf and writes the update u.
func (be *Backend[T]) MuonMomentum(u, buf, g, scale *tensor.Tensor, n int, mu float32) {
	muonMomentum(data[T](u)[:n], data[T](buf)[:n], data[T](g)[:n], data[T](scale)[:2], T(mu))
}

// MuonApply takes Muon's parameter step on p.
func (be *Backend[T]) MuonApply(p, o, scale *tensor.Tensor, n int, lr, decay float32) {
	muonApply(data[T](p)[:n], data[T](o)[:n], data[T](scale)[:2], T(lr), T(decay))
}
