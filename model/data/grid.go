package data

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
)

// gutter is the colour between grid cells: dark enough to frame white-background emoji,
// light enough to frame black-background digits.
var gutter = color.RGBA{96, 96, 96, 255}

// EncodePNGGrid writes images as one PNG: cols per row (fewer if there are fewer images),
// each image upscaled scale times with nearest neighbour, 1-px gutters between and around
// the cells. Each image is planar [3, size, size] in [-1, 1]; values outside are clamped.
func EncodePNGGrid(w io.Writer, images [][]float32, size, cols, scale int) error {
	if len(images) == 0 {
		return fmt.Errorf("png grid: no images")
	}
	if size < 1 || cols < 1 || scale < 1 {
		return fmt.Errorf("png grid: size %d, cols %d and scale %d must be at least 1", size, cols, scale)
	}
	plane := size * size
	for i, im := range images {
		if len(im) != 3*plane {
			return fmt.Errorf("png grid: image %d has %d values, want 3×%d×%d = %d", i, len(im), size, size, 3*plane)
		}
	}
	cols = min(cols, len(images))
	rows := (len(images) + cols - 1) / cols
	cell := size*scale + 1 // one cell plus the gutter on its left/top
	out := image.NewRGBA(image.Rect(0, 0, cols*cell+1, rows*cell+1))
	for i := 0; i < len(out.Pix); i += 4 {
		copy(out.Pix[i:i+4], []uint8{gutter.R, gutter.G, gutter.B, gutter.A})
	}
	for n, im := range images {
		ox, oy := (n%cols)*cell+1, (n/cols)*cell+1
		for y := range size * scale {
			for x := range size * scale {
				src := (y/scale)*size + x/scale
				p := out.PixOffset(ox+x, oy+y)
				for c := range 3 {
					out.Pix[p+c] = toByte(im[c*plane+src])
				}
				out.Pix[p+3] = 255
			}
		}
	}
	return png.Encode(w, out)
}

// WritePNG encodes img as a PNG file at path.
func WritePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
