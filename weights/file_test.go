package weights

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteFileReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiny"+Ext)
	want := sampleFile()
	if err := WriteFile(path, want, F32); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sameFile(want, got); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
}

// A failed WriteFile leaves the old file as it was and no temporary file
// behind.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model"+Ext)
	if err := WriteFile(path, sampleFile(), F16); err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := &File{Tensors: []Tensor{{Name: "w", Shape: []int{2}, Data: []float32{1, 1e9}}}}
	err = WriteFile(path, bad, F16)
	if err == nil || !strings.Contains(err.Error(), `tensor "w": value 1e+09 at index 1 does not fit in F16`) {
		t.Fatalf("error %v", err)
	}
	now, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(now, old) {
		t.Fatalf("old file changed (err %v)", err)
	}
	// The rename fails when path is a non-empty directory, after the
	// data is written: the temporary file must go too.
	sub := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(sub, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(sub, sampleFile(), F32); err == nil {
		t.Fatal("WriteFile over a directory succeeded")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only the old file and the directory", names)
	}
}

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(filepath.Join(dir, "missing"+Ext), Limits{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(missing): %v, want ErrNotExist", err)
	}
	if err := WriteFile(filepath.Join(dir, "no", "such", "dir"+Ext), sampleFile(), F32); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("WriteFile into a missing directory: %v, want ErrNotExist", err)
	}
	plain := filepath.Join(dir, "plain.safetensors")
	raw, err := Encode(sampleFile(), F32)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plain, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(plain, Limits{}); err == nil || !strings.Contains(err.Error(), "not zstd-compressed") || !strings.Contains(err.Error(), plain) {
		t.Errorf("ReadFile(uncompressed): %v, want a not-zstd error naming the path", err)
	}
}
