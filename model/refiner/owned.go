package refiner

import "flowsphere/model/tensor"

// owned lists tensors allocated together and freed together.
type owned []*tensor.Tensor

// alloc makes a zero-filled tensor of shape and records it.
func (o *owned) alloc(b tensor.Backend, shape ...int) *tensor.Tensor {
	t := b.New(shape...)
	*o = append(*o, t)
	return t
}

// free releases every recorded tensor.
func (o *owned) free(b tensor.Backend) {
	for _, t := range *o {
		b.Free(t)
	}
	*o = nil
}
