package weights

import (
	"bytes"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// A browser-sized file (5 M values, F16) round trips within a few times
// its own size in allocations. Allocation is measured, not time.
func TestLargeF16RoundTripMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 100 MB")
	}
	const n = 5_000_000
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(r.NormFloat64() * 0.02)
	}
	in := &File{
		Metadata: map[string]string{"preset": "small"},
		Tensors: []Tensor{
			{Name: "a", Shape: []int{4000, 1000}, Data: data[:4_000_000]},
			{Name: "b", Shape: []int{1000, 1000}, Data: data[4_000_000:]},
		},
	}
	const floatBytes = 4 * n
	var buf bytes.Buffer
	buf.Grow(floatBytes / 2)
	writeAlloc := allocated(func() {
		if err := Write(&buf, in, F16); err != nil {
			t.Fatal(err)
		}
	})
	var out *File
	readAlloc := allocated(func() {
		var err error
		if out, err = Read(bytes.NewReader(buf.Bytes()), Limits{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%d values: %d bytes compressed; Write allocated %.1f MB, Read %.1f MB", n, buf.Len(), float64(writeAlloc)/1e6, float64(readAlloc)/1e6)
	// Write: the 10 MB encoding plus the compressor's window and blocks.
	// Read: the 10 MB decompressed buffer, allocated once from the frame's
	// content size, the 20 MB of floats and the decompressor's window.
	const codec = 24 << 20
	if writeAlloc > floatBytes/2+codec || readAlloc > floatBytes/2+floatBytes+codec {
		t.Errorf("allocations too large for %d float bytes", floatBytes)
	}
	for i, tn := range out.Tensors {
		src := in.Tensors[i].Data
		for j, v := range tn.Data {
			if math.Abs(float64(v-src[j])) > math.Abs(float64(src[j]))*0x1p-11+0x1p-25 {
				t.Fatalf("%s[%d]: %v → %v", tn.Name, j, src[j], v)
			}
		}
	}
}

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
