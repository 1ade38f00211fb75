package webgpu

import "flowsphere/model/tensor"

// Patchify cuts images into patch tokens; it panics unless p divides h and w.
func (be *Backend) Patchify(out, img *tensor.Tensor, batch, ch, h, w, p int) {
	be.rt.Patchify(buf(out), buf(img), batch, ch, h, w, p)
}

// Unpatchify reassembles images from patch tokens; it panics unless p divides h and w.
func (be *Backend) Unpatchify(img, tokens *tensor.Tensor, batch, ch, h, w, p int) {
	be.rt.Unpatchify(buf(img), buf(tokens), batch, ch, h, w, p)
}
