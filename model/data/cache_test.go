package data

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// sampleSet returns a small labelled set of size-2 images with distinct pixels.
func sampleSet() *Set {
	s := &Set{Name: "sample", Size: 2, Classes: []string{"a", "bé"}}
	for i := range 5 {
		pix := make([]uint8, 12)
		for j := range pix {
			pix[j] = uint8(17*i + j)
		}
		im := Image{Pixels: pix, Label: i%3 - 1}
		if i < 3 {
			s.Train = append(s.Train, im)
		} else {
			s.Test = append(s.Test, im)
		}
	}
	return s
}

// sameSet reports how two sets differ, or "".
func sameSet(a, b *Set) string {
	if a.Name != b.Name || a.Size != b.Size || fmt.Sprint(a.Classes) != fmt.Sprint(b.Classes) {
		return fmt.Sprintf("header %q %d %q vs %q %d %q", a.Name, a.Size, a.Classes, b.Name, b.Size, b.Classes)
	}
	if fmt.Sprint(a.Train) != fmt.Sprint(b.Train) || fmt.Sprint(a.Test) != fmt.Sprint(b.Test) {
		return "images differ"
	}
	return ""
}

func TestCacheRoundTrip(t *testing.T) {
	for _, s := range []*Set{sampleSet(), {Name: "unlabelled", Size: 1, Train: []Image{{Pixels: []uint8{1, 2, 3}, Label: -1}}}} {
		var buf bytes.Buffer
		if err := WriteSet(&buf, s); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSet(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if d := sameSet(s, got); d != "" {
			t.Errorf("%s: round trip changed the set: %s", s.Name, d)
		}
	}
}

func TestCacheCorruption(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSet(&buf, sampleSet()); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	edit := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"pixel flipped", edit(func(b []byte) []byte { b[len(b)-10] ^= 1; return b }), "checksum mismatch"},
		{"checksum flipped", edit(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), "checksum mismatch"},
		{"truncated", good[:len(good)-7], "header implies"},
		{"trailing byte", append(append([]byte(nil), good...), 0), "header implies"},
		{"header only", good[:10], "truncated"},
		{"empty", nil, "truncated"},
		{"wrong magic", edit(func(b []byte) []byte { b[0] = 'X'; return b }), "not a flowsphere dataset cache"},
		{"new version", edit(func(b []byte) []byte { b[4] = 9; return b }), "version 9"},
		{"huge count", edit(func(b []byte) []byte { b[15] = 0x7f; return b }), "images, more than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSet(bytes.NewReader(tc.file), int64(len(tc.file)))
			if err == nil {
				t.Fatal("corrupt cache accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
		})
	}
}

func TestWriteSetRefusesBadSets(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *Set)
		want string
	}{
		{"short image", func(s *Set) { s.Test[1].Pixels = s.Test[1].Pixels[:11] }, "image 4 has 11 bytes"},
		{"label past classes", func(s *Set) { s.Train[0].Label = 2 }, "label 2"},
		{"size 0", func(s *Set) { s.Size = 0 }, "size 0"},
	}
	for _, tc := range tests {
		s := sampleSet()
		tc.edit(s)
		if err := WriteSet(&bytes.Buffer{}, s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
