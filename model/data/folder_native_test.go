//go:build !js

package data

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadFolderSkipsBadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.png", pngFile(t, 200).Data)
	write("bad.jpg", []byte("definitely not a jpeg"))
	var warn bytes.Buffer
	s, err := LoadFolder(dir, 8, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Train) != 1 || s.Train[0].Pixels[0] != 200 {
		t.Errorf("got %d training images, want the one good PNG", len(s.Train))
	}
	if !strings.Contains(warn.String(), "skipping bad.jpg: not a PNG, JPEG, GIF, BMP or WebP image") {
		t.Errorf("warning %q does not name bad.jpg", warn.String())
	}
	if _, err := LoadFolder(filepath.Join(dir, "good.png"), 8, nil); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("LoadFolder of a file: %v", err)
	}
}

func TestOpenFolderCaches(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.png"), pngFile(t, 50).Data, 0o644); err != nil {
		t.Fatal(err)
	}
	o := Options{Size: 4, CacheDir: cache}
	first, path, cached, err := Open(dir, o)
	if err != nil || cached {
		t.Fatalf("first Open: cached %v, %v", cached, err)
	}
	second, path2, cached, err := Open(dir, o)
	if err != nil || !cached || path2 != path {
		t.Fatalf("second Open: cached %v at %s (first %s), %v", cached, path2, path, err)
	}
	if d := sameSet(first, second); d != "" {
		t.Errorf("cached set differs: %s", d)
	}
	// A new file changes the folder's key: the set is prepared again, not read stale.
	if err := os.WriteFile(filepath.Join(dir, "b.png"), pngFile(t, 60).Data, 0o644); err != nil {
		t.Fatal(err)
	}
	third, _, cached, err := Open(dir, o)
	if err != nil || cached || len(third.Train) != 2 {
		t.Errorf("after adding a file: cached %v, %d images, %v", cached, len(third.Train), err)
	}
}

func TestCacheFileCorruptIsRebuilt(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.png"), pngFile(t, 50).Data, 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	o := Options{Size: 4, CacheDir: cache, Log: &log}
	_, path, _, err := Open(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	b[len(b)-6] ^= 0xff
	os.WriteFile(path, b, 0o644)
	if _, err := LoadCache(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadCache of a corrupt file: %v, want an error naming it", err)
	}
	s, _, cached, err := Open(dir, o)
	if err != nil || cached || len(s.Train) != 1 || !strings.Contains(log.String(), "checksum mismatch") {
		t.Errorf("Open over a corrupt cache: cached %v, %v, log %q", cached, err, log.String())
	}
	if _, err := LoadCache(path); err != nil {
		t.Errorf("the rebuilt cache does not load: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(cache, "*.tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
