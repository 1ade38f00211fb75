package weights

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
)

// rawFile builds uncompressed safetensors bytes from a header and a data
// section, unchecked, for feeding Decode broken files.
func rawFile(header string, body []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), body...)
}

// f32s lays values out as little-endian F32 bytes.
func f32s(vs ...float32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// sameFile reports how a and b differ: metadata, names, shapes and value
// bits. A nil and an empty map or shape count as equal.
func sameFile(a, b *File) error {
	if !maps.Equal(a.Metadata, b.Metadata) {
		return fmt.Errorf("metadata %v != %v", a.Metadata, b.Metadata)
	}
	if len(a.Tensors) != len(b.Tensors) {
		return fmt.Errorf("%d tensors != %d", len(a.Tensors), len(b.Tensors))
	}
	for i, ta := range a.Tensors {
		tb := b.Tensors[i]
		if ta.Name != tb.Name || !slices.Equal(ta.Shape, tb.Shape) || len(ta.Data) != len(tb.Data) {
			return fmt.Errorf("tensor %d: %q %v (%d values) != %q %v (%d values)", i, ta.Name, ta.Shape, len(ta.Data), tb.Name, tb.Shape, len(tb.Data))
		}
		for j := range ta.Data {
			if math.Float32bits(ta.Data[j]) != math.Float32bits(tb.Data[j]) {
				return fmt.Errorf("tensor %q value %d: %v != %v", ta.Name, j, ta.Data[j], tb.Data[j])
			}
		}
	}
	return nil
}

// sampleFile is a small file with metadata, a scalar, an empty tensor and
// awkward names.
func sampleFile() *File {
	return &File{
		Metadata: map[string]string{"config": `{"E":128,"D":2}`, "step": "1200", "note": "<a & b>", "": "empty key"},
		Tensors: []Tensor{
			{Name: "enc.q.w", Shape: []int{2, 3}, Data: []float32{1, -2, 0.5, 3.25, -0.125, 1e-3}},
			{Name: "scale", Shape: []int{}, Data: []float32{0.75}},
			{Name: "empty", Shape: []int{0, 4}, Data: []float32{}},
			{Name: "dec.bias \"quoted\" ✓", Shape: []int{3}, Data: []float32{-1, 0, 1}},
		},
	}
}
