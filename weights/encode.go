package weights

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"
)

// Encode returns f as uncompressed safetensors bytes with every tensor
// stored as dt, in the order of f.Tensors, metadata keys sorted, so equal
// files encode to equal bytes. The header is padded with spaces to a
// multiple of 8 bytes, as safetensors does, so the data section is
// aligned.
//
// Encode refuses what Decode would refuse, naming the tensor: an empty,
// repeated or reserved name, invalid UTF-8 in a name or metadata, a
// negative dimension, len(Data) different from the shape's product, NaN or
// Inf, and a finite value that does not fit in dt (beyond ±65504 for F16)
// rather than writing it as Inf. Values too small for dt round to zero or
// a subnormal, as any conversion to half precision does.
func Encode(f *File, dt DType) ([]byte, error) {
	if dt.Size() == 0 {
		return nil, fmt.Errorf("weights: unknown dtype %v", dt)
	}
	if err := checkFile(f); err != nil {
		return nil, err
	}
	header := encodeHeader(f, dt)
	var bodyLen int
	for _, t := range f.Tensors {
		bodyLen += len(t.Data) * dt.Size()
	}
	out := make([]byte, 8+len(header), 8+len(header)+bodyLen)
	binary.LittleEndian.PutUint64(out, uint64(len(header)))
	copy(out[8:], header)
	for _, t := range f.Tensors {
		var err error
		if out, err = appendValues(out, t, dt); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkFile validates names, metadata and shapes.
func checkFile(f *File) error {
	for k, v := range f.Metadata {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("weights: metadata %q: not valid UTF-8", k)
		}
	}
	seen := make(map[string]bool, len(f.Tensors))
	for _, t := range f.Tensors {
		switch {
		case t.Name == "":
			return errors.New("weights: empty tensor name")
		case t.Name == metadataKey:
			return fmt.Errorf("weights: tensor name %q is reserved", t.Name)
		case !utf8.ValidString(t.Name):
			return fmt.Errorf("weights: tensor name %q is not valid UTF-8", t.Name)
		case seen[t.Name]:
			return fmt.Errorf("weights: duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		n, ok := numel(t.Shape)
		if !ok {
			return fmt.Errorf("weights: tensor %q: shape %v has a negative dimension or overflows", t.Name, t.Shape)
		}
		if n != len(t.Data) {
			return fmt.Errorf("weights: tensor %q: shape %v needs %d values, Data has %d", t.Name, t.Shape, n, len(t.Data))
		}
	}
	return nil
}

// encodeHeader writes the JSON header, space-padded to a multiple of 8.
func encodeHeader(f *File, dt DType) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	if len(f.Metadata) > 0 {
		jsonString(&b, metadataKey)
		b.WriteString(":{")
		keys := make([]string, 0, len(f.Metadata))
		for k := range f.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonString(&b, k)
			b.WriteByte(':')
			jsonString(&b, f.Metadata[k])
		}
		b.WriteByte('}')
	}
	var at int
	for i, t := range f.Tensors {
		if i > 0 || len(f.Metadata) > 0 {
			b.WriteByte(',')
		}
		end := at + len(t.Data)*dt.Size()
		jsonString(&b, t.Name)
		fmt.Fprintf(&b, `:{"dtype":"%v","shape":[`, dt)
		for j, d := range t.Shape {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, d)
		}
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, at, end)
		at = end
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	return b.Bytes()
}

// jsonString writes s as a JSON string, leaving <, > and & readable.
func jsonString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)           // a valid UTF-8 string always encodes
	b.Truncate(b.Len() - 1) // drop Encode's newline
}

// appendValues appends t's values as dt, refusing values that are not
// finite or do not fit.
func appendValues(out []byte, t Tensor, dt DType) ([]byte, error) {
	for i, v := range t.Data {
		if !finite(v) {
			return nil, nonFinite(t.Name, i, v)
		}
		if dt == F32 {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
			continue
		}
		// The all-ones exponent of each half type marks Inf: the value
		// rounded past the largest finite one.
		h, inf := ToBF16(v), uint16(0x7f80)
		if dt == F16 {
			h, inf = ToF16(v), 0x7c00
		}
		if h&inf == inf {
			return nil, fmt.Errorf("weights: tensor %q: value %v at index %d does not fit in %v", t.Name, v, i, dt)
		}
		out = binary.LittleEndian.AppendUint16(out, h)
	}
	return out, nil
}
