package weights

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// Decode parses uncompressed safetensors bytes. It validates the whole
// file before allocating any tensor:
//
//   - the input is at most lim.MaxBytes; the u64 header length is at most
//     lim.MaxHeader and fits in what follows it;
//   - the header is one well-formed JSON object followed only by whitespace,
//     with no duplicate key at any level, "__metadata__" null or an object
//     of strings, at most lim.MaxTensors tensors with non-empty names, each
//     with exactly the fields dtype, shape and data_offsets;
//   - each tensor has dtype F32, F16 or BF16, non-negative dimensions whose
//     product fits in an int, and data_offsets [begin, end] with
//     begin ≤ end ≤ data section length and end-begin = numel·dtype size;
//   - the tensors tile the data section exactly, as safetensors requires:
//     sorted by offset, each begins where the previous one ended, no
//     overlap, no gap, no trailing bytes after the last one;
//   - no value is NaN or ±Inf.
//
// The result owns its memory (nothing aliases data). Tensors come in
// data-section order, ties (zero-size tensors) in header order. Decoded
// values take at most twice len(data) bytes.
func Decode(data []byte, lim Limits) (*File, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("weights: file of %d bytes exceeds limit of %d bytes", len(data), lim.MaxBytes)
	}
	if len(data) < 8 {
		return nil, fmt.Errorf("weights: truncated: %d bytes, need 8 for the header length", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > uint64(lim.MaxHeader) {
		return nil, fmt.Errorf("weights: header length %d exceeds limit of %d bytes", n, lim.MaxHeader)
	}
	rest := data[8:]
	if n > uint64(len(rest)) {
		return nil, fmt.Errorf("weights: truncated: header length %d exceeds the %d bytes after it", n, len(rest))
	}
	meta, entries, err := parseHeader(rest[:n], lim.MaxTensors)
	if err != nil {
		return nil, err
	}
	body := rest[n:]
	for _, e := range entries {
		if err := checkEntry(e, int64(len(body))); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end))
	})
	if err := checkTiling(entries, int64(len(body))); err != nil {
		return nil, err
	}
	for _, e := range entries {
		if err := checkFinite(e.name, e.dtype, body[e.begin:e.end]); err != nil {
			return nil, err
		}
	}
	f := &File{Metadata: meta, Tensors: make([]Tensor, len(entries))}
	for i, e := range entries {
		f.Tensors[i] = Tensor{Name: e.name, Shape: e.shape, Data: widen(e.dtype, body[e.begin:e.end])}
	}
	return f, nil
}

// checkEntry checks one tensor's offsets against the data section and its
// shape.
func checkEntry(e entry, bodyLen int64) error {
	if e.begin > e.end {
		return fmt.Errorf("weights: tensor %q: data_offsets [%d, %d] end before they begin", e.name, e.begin, e.end)
	}
	if e.end > bodyLen {
		return fmt.Errorf("weights: tensor %q: data_offsets [%d, %d] outside the data section of %d bytes", e.name, e.begin, e.end, bodyLen)
	}
	n, ok := numel(e.shape)
	if !ok {
		return fmt.Errorf("weights: tensor %q: element count of shape %v overflows", e.name, e.shape)
	}
	size := int64(e.dtype.Size())
	nb := e.end - e.begin
	switch {
	case nb%size != 0:
		return fmt.Errorf("weights: tensor %q: data_offsets [%d, %d] hold %d bytes, not a whole number of %v values", e.name, e.begin, e.end, nb, e.dtype)
	case nb/size != int64(n):
		return fmt.Errorf("weights: tensor %q: data_offsets [%d, %d] hold %d values, shape %v needs %d", e.name, e.begin, e.end, nb/size, e.shape, n)
	}
	return nil
}

// checkTiling requires the sorted entries to cover [0, bodyLen) with no
// overlap and no gap, as safetensors does: every byte belongs to exactly
// one tensor, so the file size bounds what decoding allocates and nothing
// hides in unowned bytes.
func checkTiling(sorted []entry, bodyLen int64) error {
	var at int64
	for i, e := range sorted {
		switch {
		case e.begin < at:
			p := sorted[i-1]
			return fmt.Errorf("weights: tensor %q: data_offsets [%d, %d] overlap tensor %q at [%d, %d]", e.name, e.begin, e.end, p.name, p.begin, p.end)
		case e.begin > at:
			return fmt.Errorf("weights: data section bytes [%d, %d) belong to no tensor (gap before tensor %q)", at, e.begin, e.name)
		}
		at = e.end
	}
	if at != bodyLen {
		return fmt.Errorf("weights: data section bytes [%d, %d) belong to no tensor (trailing data)", at, bodyLen)
	}
	return nil
}

// checkFinite refuses NaN and ±Inf by their bit patterns (all-ones
// exponent), without decoding.
func checkFinite(name string, dt DType, raw []byte) error {
	size := dt.Size()
	for i := 0; i+size <= len(raw); i += size {
		var bad bool
		switch dt {
		case F32:
			bad = binary.LittleEndian.Uint32(raw[i:])&0x7f800000 == 0x7f800000
		case F16:
			bad = binary.LittleEndian.Uint16(raw[i:])&0x7c00 == 0x7c00
		case BF16:
			bad = binary.LittleEndian.Uint16(raw[i:])&0x7f80 == 0x7f80
		}
		if bad {
			return nonFinite(name, i/size, widen(dt, raw[i:i+size])[0])
		}
	}
	return nil
}

// nonFinite is the error for a NaN or Inf value, shared with Encode.
func nonFinite(name string, index int, v float32) error {
	return fmt.Errorf("weights: tensor %q: value at index %d is %v", name, index, v)
}

// widen decodes little-endian values of type dt to float32.
func widen(dt DType, raw []byte) []float32 {
	out := make([]float32, len(raw)/dt.Size())
	switch dt {
	case F32:
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
	case F16:
		for i := range out {
			out[i] = FromF16(binary.LittleEndian.Uint16(raw[2*i:]))
		}
	case BF16:
		for i := range out {
			out[i] = FromBF16(binary.LittleEndian.Uint16(raw[2*i:]))
		}
	}
	return out
}
