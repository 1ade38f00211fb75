//go:build !js

package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"sort"
)

// emoji32 geometry: the "sheets-clean" 32-px sheet is a 62×62 grid of 34-px cells, each a
// 32-px emoji inside a 1-px transparent border.
const (
	emojiSheet  = "package/img/google/sheets-clean/32.png"
	emojiJSON   = "package/emoji.json"
	emojiCell   = 34
	emojiBorder = 1
	emojiSide   = 32
)

// emojiEntry is the part of one emoji.json record that emoji32 reads. Skin-tone variations
// have the same fields except category, which they inherit.
type emojiEntry struct {
	Unified        string                `json:"unified"`
	Category       string                `json:"category"`
	SheetX         int                   `json:"sheet_x"`
	SheetY         int                   `json:"sheet_y"`
	HasImgGoogle   bool                  `json:"has_img_google"`
	SkinVariations map[string]emojiEntry `json:"skin_variations"`
}

// emoji32 prepares the emoji32 set from the npm package emoji-datasource-google@16.0.0,
// fetched into cacheDir with npm pack (the tarball stays there; the sheet is never
// committed).
//
// Licences: the npm package (emoji-data by Cal Henderson) is MIT; its images are Google's
// Noto Emoji, Apache-2.0.
//
// Every emoji with a Google image is taken, and so is every skin-tone variation with a
// Google image and its own sheet cell: 1911 base emoji and 1875 variations in 16.0.0. The
// variations are distinct pictures, and the models need every image they can get, at the
// cost of "People & Body" making up about 60 % of the set. The label is the emoji.json
// category (variations take their base emoji's), Classes the sorted distinct categories.
// Images are sorted by their unified code point sequence and every 20th is held out (5 %).
func emoji32(cacheDir string, size int, log io.Writer, p Progress) (*Set, error) {
	tgz, err := fetchEmojiTarball(cacheDir, log)
	if err != nil {
		return nil, err
	}
	files, err := readTarGz(tgz, emojiSheet, emojiJSON)
	if err != nil {
		return nil, err
	}
	cells, err := emojiCells(files[emojiJSON])
	if err != nil {
		return nil, err
	}
	sheet, err := png.Decode(bytes.NewReader(files[emojiSheet]))
	if err != nil {
		return nil, fmt.Errorf("%s in %s: %w", emojiSheet, tgz, err)
	}
	pos := make([]image.Point, len(cells))
	for i, c := range cells {
		pos[i] = image.Pt(c.SheetX, c.SheetY)
	}
	add, done := p.start("slice emoji32", "emoji", len(cells))
	pix, err := sliceSheet(sheet, pos, size, add)
	done()
	if err != nil {
		return nil, err
	}

	classes, label := categories(cells)
	ims := make([]Image, len(cells))
	for i, c := range cells {
		ims[i] = Image{Pixels: pix[i], Label: label[c.Category]}
	}
	train, test := splitHeldOut(ims)
	return &Set{Name: "emoji32", Size: size, Train: train, Test: test, Classes: classes}, nil
}

// emojiCells parses emoji.json into the emoji that have a Google image, skin-tone
// variations included with their base's category, sorted by unified code; two records
// naming the same sheet cell keep the first.
func emojiCells(raw []byte) ([]emojiEntry, error) {
	var entries []emojiEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("%s: %w", emojiJSON, err)
	}
	var cells []emojiEntry
	for _, e := range entries {
		if e.HasImgGoogle {
			cells = append(cells, e)
		}
		for _, v := range e.SkinVariations {
			if v.HasImgGoogle {
				v.Category = e.Category
				cells = append(cells, v)
			}
		}
	}
	sort.Slice(cells, func(i, j int) bool { return cells[i].Unified < cells[j].Unified })
	seen := make(map[image.Point]bool, len(cells))
	kept := cells[:0]
	for _, c := range cells {
		if pt := image.Pt(c.SheetX, c.SheetY); !seen[pt] {
			seen[pt] = true
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%s lists no emoji with a Google image", emojiJSON)
	}
	return kept, nil
}

// categories returns the sorted distinct categories of cells and each one's index.
func categories(cells []emojiEntry) ([]string, map[string]int) {
	index := map[string]int{}
	for _, c := range cells {
		index[c.Category] = 0
	}
	names := make([]string, 0, len(index))
	for n := range index {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		index[n] = i
	}
	return names, index
}

// sliceSheet cuts the emoji at the given cell coordinates out of an emoji sheet (cells of
// emojiCell px, emojiBorder px of border around emojiSide px of picture) and returns each
// composited over white and resized to size: planar [3, size, size] uint8. add is called
// once per emoji. A cell outside the sheet is an error.
func sliceSheet(sheet image.Image, cells []image.Point, size int, add func(int)) ([][]uint8, error) {
	sub, ok := sheet.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return nil, fmt.Errorf("emoji sheet of type %T cannot be sliced", sheet)
	}
	b := sheet.Bounds()
	out := make([][]uint8, len(cells))
	for i, c := range cells {
		at := b.Min.Add(c.Mul(emojiCell)).Add(image.Pt(emojiBorder, emojiBorder))
		r := image.Rectangle{Min: at, Max: at.Add(image.Pt(emojiSide, emojiSide))}
		if !r.In(b) {
			return nil, fmt.Errorf("emoji cell (%d, %d) lies outside the %d×%d sheet", c.X, c.Y, b.Dx(), b.Dy())
		}
		out[i] = squareRGB(sub.SubImage(r), size)
		add(1)
	}
	return out, nil
}
