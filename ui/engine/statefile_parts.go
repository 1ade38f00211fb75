package engine

import (
	"fmt"
	"strings"

	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// addModel appends a model's weights (its prior among them) and its own metadata (format,
// config, loops, prior temperature) to f, each name prefixed.
func addModel(f *weights.File, b tensor.Backend, m *gen.Model, prefix string) error {
	part, err := m.ToFile(b, m.Params.Values, nil)
	if err != nil {
		return err
	}
	for _, t := range part.Tensors {
		t.Name = prefix + t.Name
		f.Tensors = append(f.Tensors, t)
	}
	for k, v := range part.Metadata {
		f.Metadata[prefix+k] = v
	}
	return nil
}

// prefixed returns the tensors and metadata of f under prefix, with the prefix cut, as a
// weight file of their own for gen.Open or Model.LoadValues.
func prefixed(f *weights.File, prefix string) *weights.File {
	part := &weights.File{Metadata: map[string]string{}}
	for _, t := range f.Tensors {
		if name, ok := strings.CutPrefix(t.Name, prefix); ok {
			t.Name = name
			part.Tensors = append(part.Tensors, t)
		}
	}
	for k, v := range f.Metadata {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			part.Metadata[name] = v
		}
	}
	return part
}

// encodeLosses stores the finite points of a loss history as a [n, 2] tensor.
func encodeLosses(losses []LossPoint) (weights.Tensor, bool) {
	var vals []float32
	for _, p := range losses {
		if finite(p.Total) {
			vals = append(vals, float32(p.Step), float32(p.Total))
		}
	}
	return weights.Tensor{Name: lossesTensor, Shape: []int{len(vals) / 2, 2}, Data: vals}, len(vals) > 0
}

// decodeLosses reads the loss history of a stored state, if it has one.
func decodeLosses(f *weights.File) ([]LossPoint, error) {
	t, ok := f.Lookup(lossesTensor)
	if !ok {
		return nil, nil
	}
	if len(t.Shape) != 2 || t.Shape[1] != 2 {
		return nil, fmt.Errorf("loss history of shape %v, want [n 2]", t.Shape)
	}
	out := make([]LossPoint, t.Shape[0])
	for i := range out {
		out[i] = LossPoint{Step: int(t.Data[2*i]), Total: float64(t.Data[2*i+1])}
	}
	return out, nil
}

// encodeImages stores images (planar [3, size, size] bytes) as one [n, 3, size, size]
// tensor of their byte values, which F32 and F16 both hold exactly.
func encodeImages(images []data.Image, size int) weights.Tensor {
	vals := make([]float32, 0, len(images)*3*size*size)
	for _, im := range images {
		for _, p := range im.Pixels {
			vals = append(vals, float32(p))
		}
	}
	return weights.Tensor{Name: imagesTensor, Shape: []int{len(images), 3, size, size}, Data: vals}
}

// decodeImages reads the images tensor of a stored state: [n, 3, size, size] byte values.
func decodeImages(f *weights.File, size int) ([]data.Image, error) {
	t, ok := f.Lookup(imagesTensor)
	if !ok {
		return nil, nil
	}
	if len(t.Shape) != 4 || t.Shape[1] != 3 || t.Shape[2] != size || t.Shape[3] != size {
		return nil, fmt.Errorf("images of shape %v, want [n 3 %d %d]", t.Shape, size, size)
	}
	n := 3 * size * size
	out := make([]data.Image, t.Shape[0])
	for i := range out {
		px := make([]uint8, n)
		for j, v := range t.Data[i*n : (i+1)*n] {
			if v < 0 || v > 255 || v != float32(int(v)) {
				return nil, fmt.Errorf("image %d holds %g, not a byte", i, v)
			}
			px[j] = uint8(v)
		}
		out[i] = data.Image{Pixels: px, Label: -1}
	}
	return out, nil
}
