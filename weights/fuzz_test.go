package weights

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the FuzzDecode seed files in testdata/fuzz")

// fuzzLimits are tight so the fuzzer reaches the limit checks too.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxHeader: 64 << 10, MaxTensors: 64}

// FuzzDecode: Decode never panics, never returns a file with an error,
// allocates at most twice the input in floats, and what it accepts
// re-encodes (as F32, exactly) to a file that decodes to the same tensors.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(data, fuzzLimits)
		if err != nil {
			if got != nil {
				t.Fatal("a file and an error")
			}
			return
		}
		checkReencode(t, got, len(data))
	})
}

// FuzzRead: the same through zstd, seeded with the compressed seeds.
func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(compress(f, s.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(bytes.NewReader(data), fuzzLimits)
		if err != nil {
			if got != nil {
				t.Fatal("a file and an error")
			}
			return
		}
		checkReencode(t, got, int(fuzzLimits.MaxBytes))
	})
}

// checkReencode checks the properties of a file decoded from size bytes.
func checkReencode(t *testing.T, got *File, size int) {
	var floats int
	for _, tn := range got.Tensors {
		floats += len(tn.Data)
	}
	if 4*floats > 2*size {
		t.Fatalf("%d floats decoded from %d bytes", floats, size)
	}
	raw, err := Encode(got, F32)
	if err != nil {
		t.Fatalf("Encode of a decoded file: %v", err)
	}
	again, err := Decode(raw, Limits{MaxBytes: 1 << 40, MaxHeader: 1 << 40, MaxTensors: 1 << 30})
	if err != nil {
		t.Fatalf("Decode(Encode(Decode(x))): %v", err)
	}
	if err := sameFile(got, again); err != nil {
		t.Fatalf("Decode(Encode(Decode(x))) differs: %v", err)
	}
}

type fuzzSeed struct {
	name string
	data []byte
}

// fuzzSeeds are valid files in every dtype and one broken file per
// validation rule.
func fuzzSeeds() []fuzzSeed {
	enc := func(f *File, dt DType) []byte {
		b, err := Encode(f, dt)
		if err != nil {
			panic(err)
		}
		return b
	}
	f16 := enc(sampleFile(), F16)
	one := func(dtype, shape, offsets string, body []byte) []byte {
		return rawFile(`{"__metadata__":{"k":"v"},"w":{"dtype":"`+dtype+`","shape":`+shape+`,"data_offsets":`+offsets+`}}`, body)
	}
	two := func(a, b string, body []byte) []byte {
		return rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":`+a+`},"b":{"dtype":"F32","shape":[1],"data_offsets":`+b+`}}`, body)
	}
	return []fuzzSeed{
		{"valid-f32", enc(sampleFile(), F32)},
		{"valid-f16", f16},
		{"valid-bf16", enc(sampleFile(), BF16)},
		{"valid-empty", enc(&File{}, F32)},
		{"valid-foreign", rawFile(` {"__metadata__" : null, "z":{"shape":[0],"dtype":"BF16","data_offsets":[4,4]}, "s":{"dtype":"F16","shape":[],"data_offsets":[0,2]}, "h":{"dtype":"F16","shape":[1],"data_offsets":[2,4]}}  `, []byte{0, 0x3c, 1, 0x80})},
		{"truncated", f16[:len(f16)/2]},
		{"header-length-huge", append([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, f16[8:]...)},
		{"bad-json", one("F32", "[1]", "[0,4", f32s(1))},
		{"unknown-dtype", one("I64", "[1]", "[0,8]", make([]byte, 8))},
		{"offsets-outside", one("F32", "[2]", "[0,8]", f32s(1))},
		{"overlap", two("[0,4]", "[2,6]", f32s(1, 2))},
		{"gap", two("[0,4]", "[8,12]", f32s(1, 2, 3))},
		{"size-mismatch", one("F32", "[2,2]", "[0,12]", f32s(1, 2, 3))},
		{"nan", one("F32", "[1]", "[0,4]", f32s(float32(math.NaN())))},
		{"inf-f16", one("F16", "[1]", "[0,2]", []byte{0, 0x7c})},
		{"duplicate-name", rawFile(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}`, nil)},
		{"negative-dim", one("F32", "[-1]", "[0,0]", nil)},
		{"huge-shape", one("F16", "[1099511627776]", "[0,2]", []byte{0, 0})},
	}
}

// corpusFile is the go test fuzz v1 encoding of one []byte argument.
func corpusFile(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}

// TestFuzzCorpus keeps testdata/fuzz/FuzzDecode/seed-* in step with
// fuzzSeeds (run with -update-corpus to rewrite them) and checks that
// exactly the valid-* seeds decode. Crashers the fuzzer finds sit beside
// them under their hash names.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	for _, s := range fuzzSeeds() {
		_, err := Decode(s.data, fuzzLimits)
		if valid := strings.HasPrefix(s.name, "valid-"); valid != (err == nil) {
			t.Errorf("seed %s: Decode error %v", s.name, err)
		}
		path := filepath.Join(dir, "seed-"+s.name)
		want := corpusFile(s.data)
		if *updateCorpus {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is missing or stale (err %v): go test ./weights -run TestFuzzCorpus -update-corpus", path, err)
		}
	}
}
