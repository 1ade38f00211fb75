//go:build !js

package data

import (
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeIDX writes a gzipped IDX file: the magic (type 8 = unsigned byte, dims), the
// big-endian dimensions, then the bytes.
func writeIDX(t *testing.T, path string, dims []int, body []byte) {
	t.Helper()
	head := binary.BigEndian.AppendUint32(nil, uint32(0x0800|len(dims)))
	for _, d := range dims {
		head = binary.BigEndian.AppendUint32(head, uint32(d))
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write(append(head, body...))
	zw.Close()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// digits returns n 28×28 digits whose pixel (x, y) of digit k is (k + x + 28y) mod 256.
func digits(n int) []byte {
	b := make([]byte, n*mnistSide*mnistSide)
	for k := range n {
		for i := range mnistSide * mnistSide {
			b[k*mnistSide*mnistSide+i] = uint8(k + i)
		}
	}
	return b
}

func TestReadMNISTPads(t *testing.T) {
	dir := t.TempDir()
	writeIDX(t, filepath.Join(dir, "train-images-idx3-ubyte.gz"), []int{3, 28, 28}, digits(3))
	writeIDX(t, filepath.Join(dir, "train-labels-idx1-ubyte.gz"), []int{3}, []byte{5, 0, 9})
	writeIDX(t, filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), []int{1, 28, 28}, digits(1))
	writeIDX(t, filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"), []int{1}, []byte{7})
	s, err := readMNIST(dir, 32, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Train) != 3 || len(s.Test) != 1 || len(s.Classes) != 10 || s.Classes[3] != "3" {
		t.Fatalf("%d train, %d test, classes %q", len(s.Train), len(s.Test), s.Classes)
	}
	if s.Train[0].Label != 5 || s.Train[2].Label != 9 || s.Test[0].Label != 7 {
		t.Errorf("labels %d %d %d, want 5 9 7", s.Train[0].Label, s.Train[2].Label, s.Test[0].Label)
	}
	const plane = 32 * 32
	for _, tc := range []struct {
		name string
		x, y int
		want uint8
	}{
		{"padding top-left", 0, 0, 0},
		{"padding inner edge", 1, 1, 0},
		{"padding bottom-right", 31, 31, 0},
		{"padding right of the digit", 30, 10, 0},
		{"digit (0, 0)", 2, 2, 1},
		{"digit (27, 0)", 29, 2, 1 + 27},
		{"digit (3, 5)", 5, 7, 1 + 3 + 28*5},
		{"digit (27, 27)", 29, 29, (1 + 27 + 28*27) % 256},
	} {
		pix := s.Train[1].Pixels // digit k = 1
		i := tc.y*32 + tc.x
		if r, g, b := pix[i], pix[plane+i], pix[2*plane+i]; r != tc.want || g != tc.want || b != tc.want {
			t.Errorf("%s: (%d, %d, %d), want grey %d", tc.name, r, g, b, tc.want)
		}
	}
}

func TestReadMNISTErrors(t *testing.T) {
	tests := []struct {
		name   string
		images []int
		labels []byte
		want   string
	}{
		{"count mismatch", []int{2, 28, 28}, []byte{1}, "1 labels for 2 images"},
		{"not a digit", []int{1, 28, 28}, []byte{10}, "label 10"},
		{"wrong size", []int{1, 20, 20}, []byte{1}, "20×20"},
	}
	for _, tc := range tests {
		dir := t.TempDir()
		writeIDX(t, filepath.Join(dir, "train-images-idx3-ubyte.gz"), tc.images, make([]byte, tc.images[0]*tc.images[1]*tc.images[2]))
		writeIDX(t, filepath.Join(dir, "train-labels-idx1-ubyte.gz"), []int{len(tc.labels)}, tc.labels)
		if _, err := readMNIST(dir, 32, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
