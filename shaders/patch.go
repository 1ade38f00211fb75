package shaders

import "fmt"

// patchWG is the workgroup size of the patch kernels (WG in the WGSL).
const patchWG = 256

var (
	patchForwardKernel  = Kernel{File: "patch", Entry: "patch_forward", Bindings: []Access{ReadWrite, Read}}
	patchBackwardKernel = Kernel{File: "patch", Entry: "patch_backward", Bindings: []Access{ReadWrite, Read}}
)

// patchUniform is the uniform of both patch kernels.
type patchUniform struct{ N, Ch, H, W, P uint32 }

// patchArgs checks that p divides the image and returns the uniform and the grid.
func patchArgs(batch, ch, h, w, p int) (patchUniform, [3]uint32) {
	if p <= 0 || h%p != 0 || w%p != 0 {
		panic(fmt.Sprintf("shaders: patch size %d does not divide the %d×%d image", p, h, w))
	}
	n := batch * ch * h * w
	return patchUniform{uint32(n), uint32(ch), uint32(h), uint32(w), uint32(p)}, Groups1D(n, patchWG)
}

// Patchify cuts images into patch tokens: tok[b, py·(w/p)+px, c·p·p + ky·p + kx] =
// img[b, c, py·p+ky, px·p+kx]. img: [batch, ch, h, w]; tok: [batch, (h/p)·(w/p), ch·p·p].
// It panics unless p divides h and w.
func (r *Runtime) Patchify(tok, img Buf, batch, ch, h, w, p int) {
	u, groups := patchArgs(batch, ch, h, w, p)
	r.Dispatch(&patchForwardKernel, nil, u, groups, tok, img)
}

// Unpatchify is Patchify's inverse permutation (and its backward).
func (r *Runtime) Unpatchify(img, tok Buf, batch, ch, h, w, p int) {
	u, groups := patchArgs(batch, ch, h, w, p)
	r.Dispatch(&patchBackwardKernel, nil, u, groups, img, tok)
}
