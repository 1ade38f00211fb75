package weights

import (
	"math"
	"runtime"
	"strings"
	"testing"
)

func TestDecodeValid(t *testing.T) {
	cases := []struct {
		name    string
		data    []byte
		tensors int
	}{
		{"empty header", rawFile(`{}`, nil), 0},
		{"null metadata", rawFile(`{"__metadata__":null}`, nil), 0},
		{"padding and whitespace", rawFile(" {\n\"a\" : {\"shape\":[],\"dtype\":\"F32\",\"data_offsets\":[0,4]}}   ", f32s(1)), 1},
		{"offsets out of header order", rawFile(`{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, f32s(1, 2)), 2},
		{"zero-size tensors share an offset", rawFile(`{"z2":{"dtype":"F16","shape":[0],"data_offsets":[4,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"z1":{"dtype":"BF16","shape":[3,0],"data_offsets":[4,4]}}`, f32s(1)), 3},
	}
	for _, c := range cases {
		f, err := Decode(c.data, Limits{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(f.Tensors) != c.tensors {
			t.Errorf("%s: %d tensors, want %d", c.name, len(f.Tensors), c.tensors)
		}
	}
	// Data-section order, ties in header order.
	f, err := Decode(cases[4].data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Tensors[0].Name + "," + f.Tensors[1].Name + "," + f.Tensors[2].Name; got != "a,z2,z1" {
		t.Errorf("order %v, want a,z2,z1", got)
	}
}

func TestDecodeErrors(t *testing.T) {
	entry := func(name, dtype, shape, offsets string) string {
		return `"` + name + `":{"dtype":"` + dtype + `","shape":` + shape + `,"data_offsets":` + offsets + `}`
	}
	one := func(dtype, shape, offsets string) string { return "{" + entry("w", dtype, shape, offsets) + "}" }
	cases := []struct {
		name   string
		data   []byte
		lim    Limits
		phrase string
	}{
		{"truncated length", []byte{1, 0, 0}, Limits{}, "truncated: 3 bytes"},
		{"truncated header", rawFile(`{}`, nil)[:9], Limits{}, "truncated: header length 2 exceeds the 1 bytes after it"},
		{"header length over limit", rawFile(`{}`+strings.Repeat(" ", 1000), nil), Limits{MaxHeader: 512}, "header length 1002 exceeds limit of 512 bytes"},
		{"huge header length", []byte{0, 0, 0, 0, 0, 0, 0, 0x80, '{', '}'}, Limits{}, "exceeds limit"},
		{"file over limit", rawFile(`{}`, make([]byte, 100)), Limits{MaxBytes: 64}, "file of 110 bytes exceeds limit of 64 bytes"},
		{"empty header", rawFile(``, nil), Limits{}, "invalid header JSON"},
		{"bad json", rawFile(`{"w":{"dtype":"F32",}}`, nil), Limits{}, "invalid header JSON"},
		{"unclosed json", rawFile(`{"w":`, nil), Limits{}, "invalid header JSON"},
		{"not an object", rawFile(`[1,2]`, nil), Limits{}, "header is not an object"},
		{"data after object", rawFile(`{}{}`, nil), Limits{}, "data after the top-level object"},
		{"nul padding", rawFile("{}\x00\x00", nil), Limits{}, "invalid header JSON"},
		{"unknown dtype", rawFile(one("I64", "[1]", "[0,8]"), make([]byte, 8)), Limits{}, `tensor "w": unknown dtype "I64"`},
		{"dtype not string", rawFile(one(`F32", "x":"`, "[1]", "[0,4]"), f32s(1)), Limits{}, `unknown field "x"`},
		{"missing dtype", rawFile(`{"w":{"shape":[1],"data_offsets":[0,4]}}`, f32s(1)), Limits{}, "missing dtype"},
		{"missing shape", rawFile(`{"w":{"dtype":"F32","data_offsets":[0,4]}}`, f32s(1)), Limits{}, "missing shape"},
		{"missing offsets", rawFile(`{"w":{"dtype":"F32","shape":[1]}}`, f32s(1)), Limits{}, "missing data_offsets"},
		{"three offsets", rawFile(one("F32", "[1]", "[0,4,8]"), f32s(1)), Limits{}, "data_offsets has 3 values"},
		{"offset not number", rawFile(one("F32", "[1]", `[0,"4"]`), f32s(1)), Limits{}, "data_offsets holds a non-number"},
		{"negative offset", rawFile(one("F32", "[1]", "[-4,0]"), f32s(1)), Limits{}, "negative data_offsets value -4"},
		{"offset too big for int64", rawFile(one("F32", "[1]", "[0,99999999999999999999]"), f32s(1)), Limits{}, "is not an int64"},
		{"offsets outside", rawFile(one("F32", "[4]", "[0,16]"), f32s(1, 2)), Limits{}, "data_offsets [0, 16] outside the data section of 8 bytes"},
		{"offsets reversed", rawFile(one("F32", "[1]", "[4,0]"), f32s(1)), Limits{}, "end before they begin"},
		{"size mismatch", rawFile(`{`+entry("enc.q.w", "F32", "[2,2]", "[0,12]")+`}`, f32s(1, 2, 3)), Limits{}, `weights: tensor "enc.q.w": data_offsets [0, 12] hold 3 values, shape [2 2] needs 4`},
		{"partial value", rawFile(one("F32", "[1]", "[0,6]"), make([]byte, 6)), Limits{}, "not a whole number of F32 values"},
		{"overlap", rawFile(`{`+entry("a", "F32", "[2]", "[0,8]")+`,`+entry("b", "F32", "[2]", "[4,12]")+`}`, f32s(1, 2, 3)), Limits{}, `tensor "b": data_offsets [4, 12] overlap tensor "a" at [0, 8]`},
		{"zero-size inside another", rawFile(`{`+entry("a", "F32", "[2]", "[0,8]")+`,`+entry("z", "F32", "[0]", "[4,4]")+`}`, f32s(1, 2)), Limits{}, "overlap"},
		{"gap", rawFile(`{`+entry("a", "F32", "[1]", "[0,4]")+`,`+entry("b", "F32", "[1]", "[8,12]")+`}`, f32s(1, 2, 3)), Limits{}, "bytes [4, 8) belong to no tensor"},
		{"trailing data", rawFile(one("F32", "[1]", "[0,4]"), f32s(1, 2)), Limits{}, "bytes [4, 8) belong to no tensor (trailing data)"},
		{"data without tensors", rawFile(`{}`, f32s(1)), Limits{}, "trailing data"},
		{"nan f32", rawFile(one("F32", "[3]", "[0,12]"), f32s(1, float32(math.NaN()), 2)), Limits{}, `tensor "w": value at index 1 is NaN`},
		{"inf f16", rawFile(one("F16", "[2]", "[0,4]"), []byte{0, 0x3c, 0, 0x7c}), Limits{}, "value at index 1 is +Inf"},
		{"nan f16", rawFile(one("F16", "[1]", "[0,2]"), []byte{1, 0x7c}), Limits{}, "value at index 0 is NaN"},
		{"inf bf16", rawFile(one("BF16", "[1]", "[0,2]"), []byte{0x80, 0xff}), Limits{}, "value at index 0 is -Inf"},
		{"duplicate name", rawFile(`{`+entry("a", "F32", "[1]", "[0,4]")+`,`+entry("a", "F32", "[1]", "[4,8]")+`}`, f32s(1, 2)), Limits{}, `duplicate tensor name "a"`},
		{"duplicate metadata", rawFile(`{"__metadata__":{},"__metadata__":{}}`, nil), Limits{}, "duplicate tensor name"},
		{"duplicate metadata key", rawFile(`{"__metadata__":{"k":"1","k":"2"}}`, nil), Limits{}, `metadata: duplicate key "k"`},
		{"duplicate field", rawFile(`{"w":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}`, f32s(1)), Limits{}, `duplicate field "dtype"`},
		{"unknown field", rawFile(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}`, f32s(1)), Limits{}, `unknown field "extra"`},
		{"empty name", rawFile(`{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, f32s(1)), Limits{}, "empty tensor name"},
		{"negative dim", rawFile(one("F32", "[2,-1]", "[0,0]"), nil), Limits{}, "negative dimension -1"},
		{"fractional dim", rawFile(one("F32", "[1.5]", "[0,4]"), f32s(1)), Limits{}, "shape dimension 1.5 is not an int"},
		{"shape not array", rawFile(one("F32", "4", "[0,4]"), f32s(1)), Limits{}, "shape is not an array"},
		{"shape overflow", rawFile(one("F32", "[4294967296,4294967296,4]", "[0,0]"), nil), Limits{}, "overflows"},
		{"metadata not string", rawFile(`{"__metadata__":{"steps":1200}}`, nil), Limits{}, `metadata "steps": value is not a string`},
		{"metadata not object", rawFile(`{"__metadata__":"x"}`, nil), Limits{}, "metadata is not an object"},
		{"too many tensors", rawFile(`{`+entry("a", "F32", "[0]", "[0,0]")+`,`+entry("b", "F32", "[0]", "[0,0]")+`}`, nil), Limits{MaxTensors: 1}, "more than 1 tensors"},
	}
	for _, c := range cases {
		f, err := Decode(c.data, c.lim)
		if err == nil || !strings.Contains(err.Error(), c.phrase) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.phrase)
		}
		if f != nil {
			t.Errorf("%s: returned a file with an error", c.name)
		}
	}
}

// A header claiming a 2^40-element tensor is refused before anything of
// that size is allocated.
func TestDecodeHugeClaimAllocatesNothing(t *testing.T) {
	data := rawFile(`{"w":{"dtype":"F32","shape":[1099511627776],"data_offsets":[0,0]}}`, nil)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Decode(data, Limits{})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "hold 0 values, shape [1099511627776] needs 1099511627776") {
		t.Fatalf("error %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Errorf("allocated %d bytes for a %d-byte file", n, len(data))
	}
}
