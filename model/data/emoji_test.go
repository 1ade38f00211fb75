//go:build !js

package data

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// syntheticSheet is a cols×rows emoji sheet: every cell's 1-px border is opaque black (so
// an off-by-one slice shows), and its 32×32 inside is the colour cellColour gives, with
// the top-left pixel transparent.
func syntheticSheet(cols, rows int) *image.NRGBA {
	sheet := filled(cols*emojiCell, rows*emojiCell, color.NRGBA{0, 0, 0, 255})
	for cy := range rows {
		for cx := range cols {
			x0, y0 := cx*emojiCell+emojiBorder, cy*emojiCell+emojiBorder
			for y := range emojiSide {
				for x := range emojiSide {
					sheet.SetNRGBA(x0+x, y0+y, cellColour(cx, cy))
				}
			}
			sheet.SetNRGBA(x0, y0, color.NRGBA{})
		}
	}
	return sheet
}

func cellColour(cx, cy int) color.NRGBA {
	return color.NRGBA{uint8(40 + 50*cx), uint8(30 + 60*cy), 90, 255}
}

func TestSliceSheet(t *testing.T) {
	sheet := syntheticSheet(3, 2)
	cells := []image.Point{{2, 1}, {0, 0}, {1, 1}}
	added := 0
	got, err := sliceSheet(sheet, cells, emojiSide, func(n int) { added += n })
	if err != nil {
		t.Fatal(err)
	}
	if added != len(cells) {
		t.Errorf("progress counted %d, want %d", added, len(cells))
	}
	const plane = emojiSide * emojiSide
	for i, c := range cells {
		want := cellColour(c.X, c.Y)
		pix := got[i]
		for _, p := range []struct {
			name    string
			at      int
			r, g, b uint8
		}{
			{"transparent corner → white", 0, 255, 255, 255},
			{"next pixel", 1, want.R, want.G, want.B},
			{"bottom-right", plane - 1, want.R, want.G, want.B},
		} {
			if r, g, b := pix[p.at], pix[plane+p.at], pix[2*plane+p.at]; r != p.r || g != p.g || b != p.b {
				t.Errorf("cell %v %s: (%d, %d, %d), want (%d, %d, %d)", c, p.name, r, g, b, p.r, p.g, p.b)
			}
		}
	}
	small, err := sliceSheet(sheet, cells[:1], 8, func(int) {})
	if err != nil || len(small[0]) != 3*8*8 || small[0][8*8-1] != cellColour(2, 1).R {
		t.Errorf("resized slice: %v, %d values", err, len(small[0]))
	}
	if _, err := sliceSheet(sheet, []image.Point{{3, 0}}, emojiSide, func(int) {}); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("cell past the sheet: %v", err)
	}
}

func TestEmojiCells(t *testing.T) {
	raw := []byte(`[
	 {"unified": "1F44B", "category": "People & Body", "sheet_x": 1, "sheet_y": 0, "has_img_google": true,
	  "skin_variations": {
	   "1F3FB": {"unified": "1F44B-1F3FB", "sheet_x": 1, "sheet_y": 1, "has_img_google": true},
	   "1F3FC": {"unified": "1F44B-1F3FC", "sheet_x": 1, "sheet_y": 2, "has_img_google": false}}},
	 {"unified": "1F600", "category": "Smileys & Emotion", "sheet_x": 0, "sheet_y": 0, "has_img_google": true},
	 {"unified": "1F601", "category": "Smileys & Emotion", "sheet_x": 0, "sheet_y": 1, "has_img_google": false},
	 {"unified": "1F602", "category": "Smileys & Emotion", "sheet_x": 0, "sheet_y": 0, "has_img_google": true},
	 {"unified": "0023-FE0F-20E3", "category": "Symbols", "sheet_x": 2, "sheet_y": 0, "has_img_google": true}
	]`)
	cells, err := emojiCells(raw)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cells {
		got = append(got, c.Unified+"/"+c.Category)
	}
	want := "0023-FE0F-20E3/Symbols 1F44B/People & Body 1F44B-1F3FB/People & Body 1F600/Smileys & Emotion"
	if strings.Join(got, " ") != want {
		t.Errorf("cells\n %s\nwant\n %s", strings.Join(got, " "), want)
	}
	classes, index := categories(cells)
	if strings.Join(classes, ",") != "People & Body,Smileys & Emotion,Symbols" || index["Symbols"] != 2 {
		t.Errorf("categories %q, %v", classes, index)
	}
	for _, bad := range []string{`{"not": "a list"}`, `[]`} {
		if _, err := emojiCells([]byte(bad)); err == nil {
			t.Errorf("emojiCells(%s) accepted", bad)
		}
	}
}

func TestReadTarGz(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range map[string]string{"package/a.txt": "alpha", "package/b.txt": "beta", "package/c.txt": "gamma"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	path := filepath.Join(t.TempDir(), "p.tgz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readTarGz(path, "package/a.txt", "package/c.txt")
	if err != nil || string(got["package/a.txt"]) != "alpha" || string(got["package/c.txt"]) != "gamma" || len(got) != 2 {
		t.Errorf("readTarGz = %q, %v", got, err)
	}
	if _, err := readTarGz(path, "package/missing.png"); err == nil || !strings.Contains(err.Error(), "has no package/missing.png") {
		t.Errorf("missing member: %v", err)
	}
}
