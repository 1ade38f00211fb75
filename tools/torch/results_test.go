package torch

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
)

// results is what the twin wrote: uncompressed safetensors with F64 tensors (which package
// weights does not read: it holds model files, in F32, F16 or BF16).
type results struct {
	meta    map[string]string
	tensors map[string][]float64
}

// readResults parses an F64 safetensors file.
func readResults(t *testing.T, path string) results {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := parseResults(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

func parseResults(raw []byte) (results, error) {
	if len(raw) < 8 {
		return results{}, fmt.Errorf("truncated: %d bytes", len(raw))
	}
	n := binary.LittleEndian.Uint64(raw)
	if n > uint64(len(raw)-8) {
		return results{}, fmt.Errorf("header length %d past the end", n)
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(raw[8:8+n], &header); err != nil {
		return results{}, err
	}
	body := raw[8+n:]
	r := results{meta: map[string]string{}, tensors: map[string][]float64{}}
	for name, v := range header {
		if name == "__metadata__" {
			if err := json.Unmarshal(v, &r.meta); err != nil {
				return results{}, err
			}
			continue
		}
		var e struct {
			DType   string   `json:"dtype"`
			Offsets [2]int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return results{}, fmt.Errorf("tensor %s: %v", name, err)
		}
		if e.DType != "F64" || e.Offsets[0] > e.Offsets[1] || e.Offsets[1] > int64(len(body)) || (e.Offsets[1]-e.Offsets[0])%8 != 0 {
			return results{}, fmt.Errorf("tensor %s: dtype %s, offsets %v in %d bytes", name, e.DType, e.Offsets, len(body))
		}
		data := body[e.Offsets[0]:e.Offsets[1]]
		vals := make([]float64, len(data)/8)
		for i := range vals {
			vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
		r.tensors[name] = vals
	}
	return r, nil
}

// get returns the tensor called name or fails.
func (r results) get(t *testing.T, name string) []float64 {
	t.Helper()
	v, ok := r.tensors[name]
	if !ok {
		t.Fatalf("the twin wrote no %s", name)
	}
	return v
}

// relErr is max|got − want| / max|want|: the error relative to the reference's scale, so
// that entries near zero in a tensor of large ones do not count as large errors. A zero
// reference compares absolutely. It is +Inf when the lengths differ.
func relErr(got, want []float64) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	var diff, scale float64
	for i := range want {
		diff = math.Max(diff, math.Abs(got[i]-want[i]))
		scale = math.Max(scale, math.Abs(want[i]))
	}
	switch {
	case math.IsNaN(diff) || math.IsNaN(scale):
		return math.Inf(1)
	case scale == 0:
		return diff
	}
	return diff / scale
}

// widen converts float32 values to float64.
func widen(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// minus is a − b element-wise.
func minus(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// writeF64 writes tensors (names in order, each of the given shape) as uncompressed F64
// safetensors, the form in which the twin reads Go's float64 values.
func writeF64(t *testing.T, path string, names []string, shapes map[string][]int, data map[string][]float64) {
	t.Helper()
	var header, body []byte
	header = append(header, '{')
	for i, name := range names {
		entry, _ := json.Marshal(map[string]any{"dtype": "F64", "shape": shapes[name], "data_offsets": []int{len(body), len(body) + 8*len(data[name])}})
		key, _ := json.Marshal(name)
		if i > 0 {
			header = append(header, ',')
		}
		header = append(append(append(header, key...), ':'), entry...)
		for _, v := range data[name] {
			body = binary.LittleEndian.AppendUint64(body, math.Float64bits(v))
		}
	}
	header = append(header, '}')
	for len(header)%8 != 0 {
		header = append(header, ' ')
	}
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	if err := os.WriteFile(path, append(append(out, header...), body...), 0o644); err != nil {
		t.Fatal(err)
	}
}
