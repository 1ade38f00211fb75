package weights

import (
	"fmt"
	"math"
)

// Ext is the file name extension of a weight file: zstd-compressed
// safetensors.
const Ext = ".safetensors.zst"

// metadataKey is the reserved header key that holds the file's metadata.
const metadataKey = "__metadata__"

// DType is the on-disk element type of a tensor. In memory values are
// always float32.
type DType uint8

// The dtypes a weight file may hold.
const (
	F32  DType = iota // IEEE 754 binary32
	F16               // IEEE 754 binary16 (half precision)
	BF16              // bfloat16: the top 16 bits of a binary32
)

// String returns the safetensors name of the dtype ("F32", "F16", "BF16").
func (d DType) String() string {
	switch d {
	case F32:
		return "F32"
	case F16:
		return "F16"
	case BF16:
		return "BF16"
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// Size returns the number of bytes of one element, or 0 for an unknown
// dtype.
func (d DType) Size() int {
	switch d {
	case F32:
		return 4
	case F16, BF16:
		return 2
	}
	return 0
}

// parseDType maps a safetensors dtype name to a DType.
func parseDType(s string) (DType, bool) {
	for _, d := range []DType{F32, F16, BF16} {
		if d.String() == s {
			return d, true
		}
	}
	return 0, false
}

// Tensor is one named array of values.
type Tensor struct {
	// Name is unique within a File and not empty, e.g. "enc.block0.attn.q.w".
	Name string
	// Shape lists the dimensions, outermost first; empty (or nil) is a
	// scalar.
	Shape []int
	// Data holds the values in row-major order; len(Data) is the product
	// of Shape.
	Data []float32
}

// File is the content of a weight file.
type File struct {
	// Metadata holds the "__metadata__" entries: model config, training
	// facts. Decode always returns a non-nil map.
	Metadata map[string]string
	// Tensors in file order: Encode writes them in this order and Decode
	// returns them in data-section order, so a file round trips unchanged.
	Tensors []Tensor
}

// Lookup returns the tensor called name, or false if f holds none.
// It scans the tensors (a model has a few hundred at most), and the pointer
// aliases f.Tensors.
func (f *File) Lookup(name string) (*Tensor, bool) {
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i], true
		}
	}
	return nil, false
}

// Clone returns a copy of f whose metadata and tensor list can be changed without changing
// f; the tensors' shapes and values are shared.
func (f *File) Clone() *File {
	c := &File{Metadata: make(map[string]string, len(f.Metadata)), Tensors: append([]Tensor(nil), f.Tensors...)}
	for k, v := range f.Metadata {
		c.Metadata[k] = v
	}
	return c
}

// numel returns the number of elements of shape, or false if a dimension
// is negative or the product overflows an int.
func numel(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, false
		}
		if d == 0 {
			n = 0
		}
	}
	if n == 0 {
		return 0, true
	}
	for _, d := range shape {
		if n > math.MaxInt/d {
			return 0, false
		}
		n *= d
	}
	return n, true
}
