package shaders

import (
	"math"
)

// optimWG is the workgroup size of the optimiser kernels (WG in optim.wgsl).
const optimWG = 256

// gradClipPartials is the most workgroups GradClip's first pass runs, and so the length of
// the scratch buffer of partial sums it needs: 1024·256 invocations cover ~5 million
// gradients in ~20 loads each, and one workgroup sums the partials in 4 loads each.
const gradClipPartials = 1024

var (
	optimGradClipSumsqKernel = Kernel{File: "optim", Entry: "optim_gradclip_sumsq", Bindings: []Access{ReadWrite, Read}}
	optimGradClipScaleKernel = Kernel{File: "optim", Entry: "optim_gradclip_scale", Bindings: []Access{ReadWrite, Read}}
	optimAdamWKernel         = Kernel{File: "optim", Entry: "optim_adamw", Bindings: []Access{ReadWrite, Read, ReadWrite, ReadWrite, Read}}
)

// GradClip writes scale = {min(1, maxNorm/(‖g‖ + 1e-6)), 1}, or {0, 0} when the norm is not
// finite, in two passes: per-workgroup sums of squares into partials, then one workgroup.
// scale: [2]; g: [n].
func (r *Runtime) GradClip(scale, g Buf, n int, maxNorm float32) {
	partials := r.Scratch(gradClipPartials)
	defer r.Release(partials)
	u := struct {
		N, Groups uint32
		MaxNorm   float32
	}{uint32(n), uint32(min(gradClipPartials, max(1, (n+optimWG-1)/optimWG))), maxNorm}
	r.Dispatch(&optimGradClipSumsqKernel, nil, u, [3]uint32{u.Groups, 1, 1}, partials, g)
	r.Dispatch(&optimGradClipScaleKernel, nil, u, [3]uint32{1, 1, 1}, scale, partials)
}

// AdamW takes one AdamW step (see optim_adamw in optim.wgsl); the bias corrections are
// computed here in float64. p, g, m, v: [n]; scale: [2], read only when hasScale; step ≥ 1.
func (r *Runtime) AdamW(p, g, m, v, scale Buf, hasScale bool, n int, lr, beta1, beta2, eps, wd float32, step int) {
	if step < 1 {
		panic("shaders: AdamW step counts from 1")
	}
	t := float64(step)
	u := struct {
		N, HasScale                               uint32
		Lr, Beta1, Beta2, Eps, Wd, InvBC1, InvBC2 float32
	}{
		uint32(n), b32(hasScale), lr, beta1, beta2, eps, wd,
		float32(1 / (1 - math.Pow(float64(beta1), t))), float32(1 / (1 - math.Pow(float64(beta2), t))),
	}
	r.Dispatch(&optimAdamWKernel, nil, u, Groups1D(n, optimWG), p, g, m, v, scale)
}
