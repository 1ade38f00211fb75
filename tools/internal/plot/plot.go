// Package plot draws simple line charts as PNG images — loss curves and metric plots for the
// native commands — with axes, tick labels and a legend in a built-in bitmap font. It imports
// nothing of ours.
package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Series is one line: points (X[i], Y[i]); non-finite Y values are left out.
type Series struct {
	Name string
	X, Y []float64
}

// Chart is a line chart.
type Chart struct {
	Title, XLabel string
	LogY          bool // logarithmic y axis (non-positive values are left out)
	Series        []Series
}

// palette colours the series in order.
var palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
	{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255},
}

// Layout of the drawing area inside the image.
const (
	width, height           = 720, 420
	left, right, top, bottm = 70, 20, 30, 40
)

// WritePNG draws the chart and encodes it as PNG.
func (c *Chart) WritePNG(w io.Writer) error {
	return png.Encode(w, c.Draw())
}

// Draw renders the chart.
func (c *Chart) Draw() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	fillRect(img, img.Bounds(), color.RGBA{255, 255, 255, 255})
	x0, x1, y0, y1 := c.bounds()
	px := func(x float64) int { return left + int((x-x0)/(x1-x0)*float64(width-left-right)) }
	py := func(y float64) int {
		if c.LogY {
			y = math.Log10(y)
		}
		return height - bottm - int((y-y0)/(y1-y0)*float64(height-top-bottm))
	}
	grey, black := color.RGBA{220, 220, 220, 255}, color.RGBA{0, 0, 0, 255}
	for i := 0; i <= 4; i++ {
		yv := y0 + (y1-y0)*float64(i)/4
		y := height - bottm - int(float64(i)/4*float64(height-top-bottm))
		line(img, left, y, width-right, y, grey)
		label := yv
		if c.LogY {
			label = math.Pow(10, yv)
		}
		text(img, 4, y+4, fmt.Sprintf("%.3g", label), black)
		xv := x0 + (x1-x0)*float64(i)/4
		x := px(xv)
		line(img, x, top, x, height-bottm, grey)
		text(img, x-12, height-bottm+16, fmt.Sprintf("%.4g", xv), black)
	}
	line(img, left, height-bottm, width-right, height-bottm, black)
	line(img, left, top, left, height-bottm, black)
	text(img, left, 18, c.Title, black)
	text(img, width/2-20, height-6, c.XLabel, black)
	for si, s := range c.Series {
		col := palette[si%len(palette)]
		prevOK := false
		var lx, ly int
		for i := range s.X {
			if !c.usable(s.Y[i]) {
				prevOK = false
				continue
			}
			x, y := px(s.X[i]), py(s.Y[i])
			if prevOK {
				line(img, lx, ly, x, y, col)
			} else {
				fillRect(img, image.Rect(x-1, y-1, x+2, y+2), col)
			}
			lx, ly, prevOK = x, y, true
		}
		ly0 := top + 14 + 14*si
		line(img, width-right-150, ly0-4, width-right-130, ly0-4, col)
		text(img, width-right-125, ly0, s.Name, black)
	}
	return img
}

// usable reports whether y can be drawn.
func (c *Chart) usable(y float64) bool {
	return !math.IsNaN(y) && !math.IsInf(y, 0) && (!c.LogY || y > 0)
}

// bounds returns the data ranges (y in log10 when LogY), padded so lines are not on the edge.
func (c *Chart) bounds() (x0, x1, y0, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for _, s := range c.Series {
		for i := range s.X {
			if !c.usable(s.Y[i]) {
				continue
			}
			y := s.Y[i]
			if c.LogY {
				y = math.Log10(y)
			}
			x0, x1 = math.Min(x0, s.X[i]), math.Max(x1, s.X[i])
			y0, y1 = math.Min(y0, y), math.Max(y1, y)
		}
	}
	if math.IsInf(x0, 1) {
		return 0, 1, 0, 1
	}
	if x1 == x0 {
		x1 = x0 + 1
	}
	if y1 == y0 {
		y0, y1 = y0-0.5, y1+0.5
	}
	pad := (y1 - y0) * 0.05
	return x0, x1, y0 - pad, y1 + pad
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// line draws a segment with Bresenham's algorithm.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		if (image.Point{x0, y0}).In(img.Bounds()) {
			img.SetRGBA(x0, y0, c)
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

func text(img *image.RGBA, x, y int, s string, c color.RGBA) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}
