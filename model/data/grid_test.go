package data

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
)

func TestEncodePNGGrid(t *testing.T) {
	// Three 2×2 images, 2 per row, upscaled 3×: 2·(6+1)+1 = 15 px square.
	const size, scale = 2, 3
	img := func(r float32) []float32 { // [3, 2, 2]: red r, green -1 (clamped from -3), blue 1 (from 2)
		return []float32{r, r, r, r, -3, -3, -3, -3, 2, 2, 2, 2}
	}
	images := [][]float32{img(-1), img(0), img(1)}
	var buf bytes.Buffer
	if err := EncodePNGGrid(&buf, images, size, 2, scale); err != nil {
		t.Fatal(err)
	}
	out, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := out.Bounds(); b != image.Rect(0, 0, 15, 15) {
		t.Fatalf("grid is %v, want 15×15", b)
	}
	tests := []struct {
		name    string
		x, y    int
		r, g, b uint32 // 8-bit
	}{
		{"corner gutter", 0, 0, 96, 96, 96},
		{"gutter between cells", 7, 3, 96, 96, 96},
		{"image 0", 1, 1, 0, 0, 255},
		{"image 0 far corner", 6, 6, 0, 0, 255},
		{"image 1 is mid red", 8, 1, 128, 0, 255},
		{"image 2 on row 2", 1, 8, 255, 0, 255},
		{"empty slot stays gutter", 10, 10, 96, 96, 96},
	}
	for _, tc := range tests {
		r, g, b, _ := out.At(tc.x, tc.y).RGBA()
		if r>>8 != tc.r || g>>8 != tc.g || b>>8 != tc.b {
			t.Errorf("%s: (%d, %d) = (%d, %d, %d), want (%d, %d, %d)", tc.name, tc.x, tc.y, r>>8, g>>8, b>>8, tc.r, tc.g, tc.b)
		}
	}
}

func TestEncodePNGGridErrors(t *testing.T) {
	ok := make([]float32, 3*4*4)
	tests := []struct {
		name   string
		images [][]float32
		cols   int
		want   string
	}{
		{"no images", nil, 8, "no images"},
		{"wrong length", [][]float32{ok, ok[:5]}, 8, "image 1 has 5 values"},
		{"zero cols", [][]float32{ok}, 0, "must be at least 1"},
	}
	for _, tc := range tests {
		err := EncodePNGGrid(&bytes.Buffer{}, tc.images, 4, tc.cols, 1)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
