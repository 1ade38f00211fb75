package weights

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestRoundTripF32Exact(t *testing.T) {
	want := sampleFile()
	raw, err := Encode(want, F32)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(raw, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sameFile(want, got); err != nil {
		t.Fatal(err)
	}
	again, err := Encode(got, F32)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, again) {
		t.Error("re-encoding a decoded file changed its bytes")
	}
}

func TestRoundTripHalfPrecision(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	data := make([]float32, 10000)
	for i := range data {
		// Magnitudes 2^-14 … 2^15: the normal range of F16.
		data[i] = float32(math.Ldexp(r.Float64()+0.5, r.IntN(29)-13))
		if r.IntN(2) == 0 {
			data[i] = -data[i]
		}
	}
	in := &File{Tensors: []Tensor{{Name: "w", Shape: []int{100, 100}, Data: data}}}
	for _, c := range []struct {
		dt  DType
		rel float64
	}{
		{F16, math.Ldexp(1, -11)},
		{BF16, math.Ldexp(1, -8)},
	} {
		raw, err := Encode(in, c.dt)
		if err != nil {
			t.Fatalf("%v: %v", c.dt, err)
		}
		if len(raw)%8 != 0 || len(raw) < 2*len(data) {
			t.Errorf("%v: %d bytes", c.dt, len(raw))
		}
		out, err := Decode(raw, Limits{})
		if err != nil {
			t.Fatalf("%v: %v", c.dt, err)
		}
		got := out.Tensors[0].Data
		for i, v := range data {
			if e := math.Abs(float64(got[i])-float64(v)) / math.Abs(float64(v)); e > c.rel {
				t.Fatalf("%v: value %d: %v → %v, relative error %g > %g", c.dt, i, v, got[i], e, c.rel)
			}
		}
	}
}

func TestEncodeLayout(t *testing.T) {
	raw, err := Encode(&File{Tensors: []Tensor{{Name: "a<b>", Shape: []int{1}, Data: []float32{1}}}}, F16)
	if err != nil {
		t.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(raw)
	header := string(raw[8 : 8+n])
	want := `{"a<b>":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}`
	if strings.TrimRight(header, " ") != want || n%8 != 0 {
		t.Errorf("header %q (length %d), want %q padded to a multiple of 8", header, n, want)
	}
	if body := raw[8+n:]; !bytes.Equal(body, []byte{0x00, 0x3c}) {
		t.Errorf("data section % x, want 00 3c", body)
	}
}

func TestMetadataRoundTrip(t *testing.T) {
	for _, meta := range []map[string]string{
		nil,
		{},
		{"config": `{"preset":"small","E":128}`, "dataset": "emoji32 (Apache-2.0)", "ünïcode": "✓\n\t\"", "": ""},
	} {
		raw, err := Encode(&File{Metadata: meta}, F16)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Read(bytes.NewReader(compress(t, raw)), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Metadata == nil {
			t.Error("Decode returned nil Metadata")
		}
		if err := sameFile(&File{Metadata: meta}, got); err != nil {
			t.Error(err)
		}
	}
}

func TestLookup(t *testing.T) {
	f := sampleFile()
	tn, ok := f.Lookup("scale")
	if !ok || tn.Data[0] != 0.75 {
		t.Fatalf("Lookup(scale) = %v, %v", tn, ok)
	}
	tn.Data[0] = 2 // the pointer aliases the file
	if f.Tensors[1].Data[0] != 2 {
		t.Error("Lookup returned a copy")
	}
	if _, ok := f.Lookup("missing"); ok {
		t.Error("Lookup(missing) found something")
	}
}

func TestEncodeErrors(t *testing.T) {
	one := func(name string, shape []int, data ...float32) *File {
		return &File{Tensors: []Tensor{{Name: name, Shape: shape, Data: data}}}
	}
	cases := []struct {
		name   string
		f      *File
		dt     DType
		phrase string
	}{
		{"f16 overflow", one("dec.out.w", []int{3}, 1, 70000, 2), F16, `tensor "dec.out.w": value 70000 at index 1 does not fit in F16`},
		{"f16 overflow tie", one("w", []int{1}, -65520), F16, "does not fit in F16"},
		{"bf16 overflow", one("w", []int{1}, math.MaxFloat32), BF16, "does not fit in BF16"},
		{"nan", one("w", []int{2}, 0, float32(math.NaN())), F32, `tensor "w": value at index 1 is NaN`},
		{"inf", one("w", []int{1}, float32(math.Inf(-1))), F16, "value at index 0 is -Inf"},
		{"shape mismatch", one("w", []int{2, 2}, 1, 2, 3), F32, "shape [2 2] needs 4 values, Data has 3"},
		{"negative dim", one("w", []int{-1}), F32, "negative dimension"},
		{"empty name", one("", []int{0}), F32, "empty tensor name"},
		{"reserved name", one("__metadata__", []int{0}), F32, "reserved"},
		{"bad utf-8 name", one("a\xff", []int{0}), F32, "not valid UTF-8"},
		{"bad utf-8 metadata", &File{Metadata: map[string]string{"k": "\xff"}}, F32, "not valid UTF-8"},
		{"duplicate", &File{Tensors: []Tensor{{Name: "a", Shape: []int{0}}, {Name: "a", Shape: []int{0}}}}, F32, `duplicate tensor name "a"`},
		{"unknown dtype", one("w", nil, 1), DType(9), "unknown dtype DType(9)"},
	}
	for _, c := range cases {
		_, err := Encode(c.f, c.dt)
		if err == nil || !strings.Contains(err.Error(), c.phrase) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.phrase)
		}
	}
}

// TestClone checks that changing a clone's metadata and tensor list leaves the original alone.
func TestClone(t *testing.T) {
	f := &File{Metadata: map[string]string{"a": "1"}, Tensors: []Tensor{{Name: "x", Shape: []int{1}, Data: []float32{2}}}}
	c := f.Clone()
	c.Metadata["a"] = "2"
	c.Tensors[0].Name = "y"
	c.Tensors = append(c.Tensors, Tensor{Name: "z"})
	if f.Metadata["a"] != "1" || f.Tensors[0].Name != "x" || len(f.Tensors) != 1 {
		t.Fatalf("the original changed: %+v", f)
	}
	if c.Metadata["a"] != "2" || len(c.Tensors) != 2 {
		t.Fatalf("clone %+v", c)
	}
}
