package shaders

// actWG is the workgroup size of the act kernels (WG in the WGSL).
const actWG = 256

var (
	actForwardKernel        = Kernel{File: "act", Entry: "act_forward", Bindings: []Access{ReadWrite, Read}}
	actBackwardKernel       = Kernel{File: "act", Entry: "act_backward", Bindings: []Access{ReadWrite, Read, Read}}
	actSwiGLUForwardKernel  = Kernel{File: "act", Entry: "act_swiglu_forward", Bindings: []Access{ReadWrite, Read}}
	actSwiGLUBackwardKernel = Kernel{File: "act", Entry: "act_swiglu_backward", Bindings: []Access{ReadWrite, Read, Read}}
)

// actUniform is the uniform of act_forward and act_backward: f is a tensor.Activation.
type actUniform struct{ N, F uint32 }

// gluUniform is the uniform of the SwiGLU kernels.
type gluUniform struct{ Rows, F uint32 }

// Act computes out = f(in) over n elements; f is a tensor.Activation, SiLU (1) or GELU
// (2). out, in: [n].
func (r *Runtime) Act(out, in Buf, n int, f int) {
	r.Dispatch(&actForwardKernel, nil, actUniform{uint32(n), uint32(f)}, Groups1D(n, actWG), out, in)
}

// ActBackward computes dIn = f'(in)·dOut. dIn, dOut, in: [n].
func (r *Runtime) ActBackward(dIn, dOut, in Buf, n int, f int) {
	r.Dispatch(&actBackwardKernel, nil, actUniform{uint32(n), uint32(f)}, Groups1D(n, actWG), dIn, dOut, in)
}

// SwiGLU computes out[r,j] = silu(in[r,j])·in[r,F+j]. out: [rows, F]; in: [rows, 2F].
func (r *Runtime) SwiGLU(out, in Buf, rows, f int) {
	r.Dispatch(&actSwiGLUForwardKernel, nil, gluUniform{uint32(rows), uint32(f)}, Groups1D(rows*f, actWG), out, in)
}

// SwiGLUBackward computes dIn: [rows, 2F] from dOut: [rows, F] and in: [rows, 2F].
func (r *Runtime) SwiGLUBackward(dIn, dOut, in Buf, rows, f int) {
	r.Dispatch(&actSwiGLUBackwardKernel, nil, gluUniform{uint32(rows), uint32(f)}, Groups1D(rows*f, actWG), dIn, dOut, in)
}
