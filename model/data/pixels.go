package data

import (
	"image"

	"golang.org/x/image/draw"
)

// squareRGB centre-crops img to a square, resizes it to size×size with Catmull-Rom and
// composites it over white: planar [3, size, size] uint8.
//
// It resizes before compositing: draw works on premultiplied alpha, where scaling and
// "over white" commute, and the large intermediate is then never more than one RGBA copy of
// the output.
func squareRGB(img image.Image, size int) []uint8 {
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	x0 := b.Min.X + (b.Dx()-side)/2
	y0 := b.Min.Y + (b.Dy()-side)/2
	crop := image.Rect(x0, y0, x0+side, y0+side)

	rgba := image.NewRGBA(image.Rect(0, 0, size, size))
	if side == size {
		// An exact copy: no filter should touch pixels already at the right size.
		draw.Draw(rgba, rgba.Bounds(), img, crop.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(rgba, rgba.Bounds(), img, crop, draw.Src, nil)
	}

	plane := size * size
	out := make([]uint8, 3*plane) // [3, size, size]
	for i := range plane {
		p := rgba.Pix[4*i : 4*i+4 : 4*i+4]
		white := 255 - p[3] // premultiplied: colour over white is c + (1-α)·255
		for c := range 3 {
			out[c*plane+i] = p[c] + white
		}
	}
	return out
}

// toFloat maps uint8 pixels to [-1, 1]: 0 → -1, 255 → 1.
func toFloat(pix []uint8) []float32 {
	out := make([]float32, len(pix))
	fillFloat(out, pix)
	return out
}

// fillFloat is toFloat into dst, which must be at least len(pix) long.
func fillFloat(dst []float32, pix []uint8) {
	for i, v := range pix {
		dst[i] = float32(v)/127.5 - 1
	}
}

// toByte maps a value in [-1, 1] to uint8, rounding to nearest and clamping outside the range.
func toByte(v float32) uint8 {
	x := (v + 1) * 127.5
	switch {
	case !(x > 0): // also NaN
		return 0
	case x >= 255:
		return 255
	}
	return uint8(x + 0.5)
}
