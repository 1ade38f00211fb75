// Package shaders holds every WGSL kernel of flowsphere and the small WebGPU runtime that
// compiles and runs them: device setup, pooled storage buffers, pipelines built once with
// explicit layouts, bind groups cached per call site, and one command buffer per step.
//
// Each kernel family is a pair of files: <family>.wgsl with its entry points and
// <family>.go with the family's uniform structs, dispatch maths and one Kernel variable per
// entry point. An entry point is named after its family and then what it runs: the pass of
// the family's own op (rmsnorm_forward, patch_backward), the op and its pass where a family
// holds several ops (act_swiglu_backward, loss_cosine_forward), the op alone where it has no
// backward pass (elementwise_fill, optim_adamw), and a stage last where one op takes several
// kernels (attention_backward_dq, optim_gradclip_sumsq). Its Kernel variable has the same
// name in Go's case, with "Kernel" appended (actSwiGLUBackwardKernel). The families and their
// ops are listed in DESIGN.md §2.2; TestEntryPointNames checks the names and TestKernelBindings
// checks each Kernel's Bindings against the WGSL declarations, without a GPU.
//
// The same code runs natively (wgpu-native through cogentcore/webgpu) and in the browser.
// It imports nothing of ours; model/webgpu adapts it to the tensor.Backend interface.
package shaders
