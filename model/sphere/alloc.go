package sphere

import "flowsphere/model/tensor"

// owned records the tensors a value allocates, so that one Free releases them all.
type owned struct{ all []*tensor.Tensor }

// new allocates a zero-filled tensor on b and records it.
func (o *owned) new(b tensor.Backend, shape ...int) *tensor.Tensor {
	t := b.New(shape...)
	o.all = append(o.all, t)
	return t
}

// free releases every recorded tensor.
func (o *owned) free(b tensor.Backend) {
	for _, t := range o.all {
		b.Free(t)
	}
	o.all = nil
}
