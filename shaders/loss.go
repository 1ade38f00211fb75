package shaders

// The loss kernels run one workgroup per row (WG = 256 invocations in loss.wgsl), so their
// grid is Groups1D(rows, 1).
var (
	lossSmoothL1ForwardKernel = Kernel{File: "loss", Entry: "loss_smoothl1_forward", Bindings: []Access{ReadWrite, ReadWrite, Read, Read}}
	lossMSEForwardKernel      = Kernel{File: "loss", Entry: "loss_mse_forward", Bindings: []Access{ReadWrite, ReadWrite, Read, Read, Read}}
	lossCosineForwardKernel   = Kernel{File: "loss", Entry: "loss_cosine_forward", Bindings: []Access{ReadWrite, ReadWrite, ReadWrite, Read, Read}}
)

// SmoothL1 writes the Huber loss of each row and its gradient. loss: [rows]; dPred, pred,
// target: [rows, cols].
func (r *Runtime) SmoothL1(loss, dPred, pred, target Buf, rows, cols int, beta, gradScale float32) {
	u := struct {
		Rows, Cols      uint32
		Beta, GradScale float32
	}{uint32(rows), uint32(cols), beta, gradScale}
	r.Dispatch(&lossSmoothL1ForwardKernel, nil, u, Groups1D(rows, 1), loss, dPred, pred, target)
}

// MSE writes the (weighted) squared error of each row and its gradient. loss, weight: [rows]
// (weight is read only when hasWeight); dPred, pred, target: [rows, cols].
func (r *Runtime) MSE(loss, dPred, pred, target, weight Buf, hasWeight bool, rows, cols int, gradScale float32) {
	u := struct {
		Rows, Cols, HasWeight uint32
		GradScale             float32
	}{uint32(rows), uint32(cols), b32(hasWeight), gradScale}
	r.Dispatch(&lossMSEForwardKernel, nil, u, Groups1D(rows, 1), loss, dPred, pred, target, weight)
}

// Cosine writes 1 − cos(a, b) of each row and its gradients (dB only when hasDB).
// loss: [rows]; dA, dB, a, b: [rows, cols].
func (r *Runtime) Cosine(loss, dA, dB, a, b Buf, hasDB bool, rows, cols int, gradScale float32) {
	u := struct {
		Rows, Cols, HasDB uint32
		GradScale         float32
	}{uint32(rows), uint32(cols), b32(hasDB), gradScale}
	r.Dispatch(&lossCosineForwardKernel, nil, u, Groups1D(rows, 1), loss, dA, dB, a, b)
}
