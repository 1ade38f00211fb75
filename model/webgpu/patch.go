package webgpu

import "flowsphere/model/tensor"

// Patchify is not implemented yet.
func (be *Backend) Patchify(out, img *tensor.Tensor, batch, ch, h, w, p int) {
	panic("webgpu: Patchify not implemented")
}

// Unpatchify is not implemented yet.
func (be *Backend) Unpatchify(img, tokens *tensor.Tensor, batch, ch, h, w, p int) {
	panic("webgpu: Unpatchify not implemented")
}
