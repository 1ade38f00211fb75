package cpu

import "flowsphere/model/tensor"

// Patchify cuts images into patch tokens; it panics unless p divides h and w.
func (be *Backend[T]) Patchify(out, img *tensor.Tensor, batch, ch, h, w, p int) {
	patchPermute(data[T](out), data[T](img), batch, ch, h, w, p, true)
}

// Unpatchify reassembles images from patch tokens; it panics unless p divides h and w.
func (be *Backend[T]) Unpatchify(img, tokens *tensor.Tensor, batch, ch, h, w, p int) {
	patchPermute(data[T](tokens), data[T](img), batch, ch, h, w, p, false)
}
