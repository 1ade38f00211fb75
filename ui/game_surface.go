package ui

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// The UI is laid out on a 1280×800 logical screen. It is drawn at the real screen
// resolution, scaled by one factor and centred, rather than drawn at 1280×800 and stretched:
// text stays sharp and the 32×32 images can be scaled by whole numbers.
const (
	screenW = 1280
	screenH = 800
)

// rect is an area in logical coordinates.
type rect struct{ x, y, w, h float64 }

// contains reports whether the logical point (px, py) is inside r.
func (r rect) contains(px, py float64) bool {
	return px >= r.x && px < r.x+r.w && py >= r.y && py < r.y+r.h
}

// inset shrinks r by d on every side.
func (r rect) inset(d float64) rect { return rect{r.x + d, r.y + d, r.w - 2*d, r.h - 2*d} }

// surface draws in logical coordinates onto the screen.
type surface struct {
	dst    *ebiten.Image
	u      float64 // screen pixels per logical pixel
	ox, oy float64 // screen position of the logical origin
	fonts  *fonts
	hoverX float64 // cursor in logical coordinates
	hoverY float64
}

// place computes the scale and offset that fit the logical screen into w×h pixels.
func place(w, h int) (u, ox, oy float64) {
	u = min(float64(w)/screenW, float64(h)/screenH)
	return u, (float64(w) - screenW*u) / 2, (float64(h) - screenH*u) / 2
}

// toLogical converts screen pixel coordinates to logical ones.
func toLogical(x, y int, u, ox, oy float64) (float64, float64) {
	return (float64(x) - ox) / u, (float64(y) - oy) / u
}

// screen converts a logical rectangle to screen float32 coordinates.
func (s *surface) screen(r rect) (x, y, w, h float32) {
	return float32(s.ox + r.x*s.u), float32(s.oy + r.y*s.u), float32(r.w * s.u), float32(r.h * s.u)
}

// fill paints r.
func (s *surface) fill(r rect, c color.Color) {
	x, y, w, h := s.screen(r)
	vector.DrawFilledRect(s.dst, x, y, w, h, c, false)
}

// stroke outlines r with a line width logical pixels wide.
func (s *surface) stroke(r rect, width float64, c color.Color) {
	x, y, w, h := s.screen(r)
	vector.StrokeRect(s.dst, x, y, w, h, float32(width*s.u), c, false)
}

// line draws a line between two logical points.
func (s *surface) line(x0, y0, x1, y1, width float64, c color.Color) {
	vector.StrokeLine(s.dst, float32(s.ox+x0*s.u), float32(s.oy+y0*s.u), float32(s.ox+x1*s.u), float32(s.oy+y1*s.u), float32(width*s.u), c, true)
}

// image draws img as large as fits in r at a whole-number scale with nearest-neighbour
// sampling (crisp pixels), centred in r.
func (s *surface) image(img *ebiten.Image, r rect) {
	x, y, w, h := s.screen(r)
	iw, ih := img.Bounds().Dx(), img.Bounds().Dy()
	k := max(1, min(int(w)/iw, int(h)/ih))
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterNearest}
	op.GeoM.Scale(float64(k), float64(k))
	op.GeoM.Translate(float64(int(x)+(int(w)-k*iw)/2), float64(int(y)+(int(h)-k*ih)/2))
	s.dst.DrawImage(img, op)
}

// wide extends r sideways to the edges of the screen, beyond the logical 1280 pixels when
// the window is wider than the layout.
func (s *surface) wide(r rect) rect {
	return rect{-s.ox / s.u, r.y, float64(s.dst.Bounds().Dx()) / s.u, r.h}
}

// hover reports whether the cursor is over r.
func (s *surface) hover(r rect) bool { return r.contains(s.hoverX, s.hoverY) }

// bar paints a progress bar in r, done of total filled (none when total is 0), with label
// centred on it.
func (s *surface) bar(r rect, done, total int, label string) {
	s.fill(r, colButton)
	if total > 0 {
		s.fill(rect{r.x, r.y, r.w * min(1, float64(done)/float64(total)), r.h}, colAccent)
	}
	s.text(label, r.x+r.w/2, r.y+r.h/2-9, textStyle{size: 14, c: colText, centre: true})
}
