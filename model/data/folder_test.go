package data

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// pngFile is an encoded 4×4 PNG of grey level v.
func pngFile(t *testing.T, v uint8) *fstest.MapFile {
	return &fstest.MapFile{Data: encoded(t, filled(4, 4, color.NRGBA{v, v, v, 255}), png.Encode)}
}

func TestFromFS(t *testing.T) {
	fsys := fstest.MapFS{
		"b.png":          pngFile(t, 20),
		"a.png":          pngFile(t, 10),
		"sub/c.png":      pngFile(t, 30),
		"notes.txt":      {Data: []byte("not an image")},
		"broken.png":     {Data: pngFile(t, 0).Data[:30]},
		".DS_Store":      {Data: []byte("system file")},
		".git/HEAD.png":  pngFile(t, 99),
		"empty/zero.gif": {Data: nil},
	}
	var warn bytes.Buffer
	s, err := FromFS(fsys, "photos", 2, &warn, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []uint8
	for _, im := range s.Train {
		got = append(got, im.Pixels[0])
		if im.Label != -1 {
			t.Errorf("label %d, want -1", im.Label)
		}
	}
	if want := []uint8{10, 20, 30}; !bytes.Equal(got, want) || len(s.Test) != 0 || s.Name != "photos" || s.Size != 2 {
		t.Errorf("set %q size %d: train first bytes %v (want %v in path order), %d test", s.Name, s.Size, got, want, len(s.Test))
	}
	for _, w := range []string{"skipping notes.txt: not a PNG", "skipping broken.png: truncated png", "skipping empty/zero.gif: empty file"} {
		if !strings.Contains(warn.String(), w) {
			t.Errorf("warnings %q lack %q", warn.String(), w)
		}
	}
	if strings.Contains(warn.String(), ".DS_Store") || strings.Contains(warn.String(), ".git") {
		t.Errorf("warnings mention dot-files: %q", warn.String())
	}
}

func TestFromFSHoldsOut(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 25 {
		fsys[fmt.Sprintf("img%02d.png", i)] = pngFile(t, uint8(i))
	}
	s, err := FromFS(fsys, "many", 4, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Train) != 24 || len(s.Test) != 1 || s.Test[0].Pixels[0] != 19 {
		t.Errorf("%d train, %d test, want 24 and 1 (img19.png)", len(s.Train), len(s.Test))
	}
}

func TestFromFSNoImages(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"empty":      {},
		"only junk":  {"a.txt": {Data: []byte("x")}},
		"only a dir": {"sub": {Mode: fs.ModeDir | 0o755}},
	} {
		_, err := FromFS(fsys, "DIR", 32, nil, nil)
		if err == nil || err.Error() != "no images in DIR" {
			t.Errorf("%s: error %v, want \"no images in DIR\"", name, err)
		}
	}
}
