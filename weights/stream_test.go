package weights

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// compress zstd-compresses raw as any zstd tool would.
func compress(t testing.TB, raw []byte, opts ...zstd.EOption) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(raw, nil)
}

// zeroBomb compresses n zero bytes with a 1 MiB window, small enough to
// pass Read's window check, so only the output limit stops it.
func zeroBomb(t testing.TB, n int64) []byte {
	t.Helper()
	var b bytes.Buffer
	enc, err := zstd.NewWriter(&b, zstd.WithWindowSize(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := enc.ReadFrom(io.LimitReader(zeros{}, n)); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestReadWrite(t *testing.T) {
	want := sampleFile()
	var buf bytes.Buffer
	if err := Write(&buf, want, F32); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		t.Fatal("Write did not produce a zstd stream")
	}
	got, err := Read(&buf, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sameFile(want, got); err != nil {
		t.Fatal(err)
	}
}

func TestWriteRefusesBeforeWriting(t *testing.T) {
	var buf bytes.Buffer
	f := &File{Tensors: []Tensor{{Name: "w", Shape: []int{1}, Data: []float32{1e6}}}}
	err := Write(&buf, f, F16)
	if err == nil || !strings.Contains(err.Error(), `tensor "w": value 1e+06 at index 0 does not fit in F16`) {
		t.Fatalf("error %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes before failing", buf.Len())
	}
}

func TestReadErrors(t *testing.T) {
	good, err := Encode(sampleFile(), F16)
	if err != nil {
		t.Fatal(err)
	}
	packed := compress(t, good)
	bomb := zeroBomb(t, 64<<20)
	cases := []struct {
		name   string
		in     []byte
		lim    Limits
		phrase string
	}{
		{"not zstd at all", good, Limits{}, "not zstd-compressed"},
		{"text", []byte("hello, this is not a weight file"), Limits{}, "not zstd-compressed"},
		{"empty", nil, Limits{}, "empty input"},
		{"truncated stream", packed[:len(packed)/2], Limits{}, "truncated"},
		{"magic only", packed[:4], Limits{}, "truncated"},
		{"data after stream", append(bytes.Clone(packed), "junk"...), Limits{}, "data after the end of the zstd stream"},
		{"corrupt", corrupt(packed), Limits{}, "weights: decompress:"},
		{"zstd bomb", bomb, Limits{MaxBytes: 1 << 20}, "decompressed data exceeds limit of 1048576 bytes"},
		{"declared size over limit", compress(t, make([]byte, 2<<20)), Limits{MaxBytes: 1 << 20}, "decompressed data exceeds limit of 1048576 bytes"},
		{"window over limit", compress(t, make([]byte, 300<<10), zstd.WithWindowSize(1<<20), zstd.WithSingleSegment(false)), Limits{MaxBytes: 64 << 10}, "exceeds limit"},
		{"valid zstd, bad content", compress(t, []byte("not safetensors")), Limits{}, "header length"},
	}
	for _, c := range cases {
		_, err := Read(bytes.NewReader(c.in), c.lim)
		if err == nil || !strings.Contains(err.Error(), c.phrase) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.phrase)
		}
	}
}

// corrupt flips a byte in the middle of a compressed stream.
func corrupt(b []byte) []byte {
	b = bytes.Clone(b)
	b[len(b)/2] ^= 0xff
	return b
}

// A bomb costs about the limit, not what it expands to.
func TestReadBombMemory(t *testing.T) {
	bomb := zeroBomb(t, 256<<20)
	const limit = 4 << 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Read(bytes.NewReader(bomb), Limits{MaxBytes: limit})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "exceeds limit") {
		t.Fatalf("error %v", err)
	}
	// The output buffer doubles up to the limit (under 2·limit in all),
	// plus the decoder's 1 MiB window and block buffers.
	if n := after.TotalAlloc - before.TotalAlloc; n > 3*limit {
		t.Errorf("a %d-byte bomb allocated %d bytes under a %d-byte limit", len(bomb), n, limit)
	}
}
