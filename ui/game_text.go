package ui

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// fonts holds the Go fonts, the faces made from them (one per screen size and weight) and
// the glyphs drawn from those faces. The app draws its glyphs itself: its labels are plain
// Latin text, and Ebiten's text packages would link a text shaper's tables (3 MB with its
// shaping faces; with x/image/font faces still a TIFF decoder and the x/text language tables)
// into the browser's download.
type fonts struct {
	regular, bold *opentype.Font
	faces         map[faceKey]font.Face
	glyphs        map[glyphKey]glyph
}

type faceKey struct {
	size float64
	bold bool
}

type glyphKey struct {
	face faceKey
	r    rune
}

// glyph is one rune of one face as an image of white pixels whose alpha is the glyph's
// coverage, with the offset of its top-left corner from the dot in pixels. img is nil for a
// rune without pixels, such as a space.
type glyph struct {
	img  *ebiten.Image
	x, y int
}

// loadFonts parses the embedded Go fonts.
func loadFonts() (*fonts, error) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	return &fonts{regular: regular, bold: bold, faces: map[faceKey]font.Face{}, glyphs: map[glyphKey]glyph{}}, nil
}

// face returns the face of k's size in screen pixels.
func (f *fonts) face(k faceKey) font.Face {
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	src := f.regular
	if k.bold {
		src = f.bold
	}
	// At 72 DPI a size in points is one in pixels. NewFace cannot fail: it only scales the
	// parsed font.
	fc, _ := opentype.NewFace(src, &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingFull})
	f.faces[k] = fc
	return fc
}

// glyph returns r drawn in the face of k, drawing it on first use.
func (f *fonts) glyph(k faceKey, r rune) glyph {
	gk := glyphKey{k, r}
	if g, ok := f.glyphs[gk]; ok {
		return g
	}
	var g glyph
	// The face reuses its mask for the next glyph, so the image is made from a copy.
	dr, mask, mp, _, ok := f.face(k).Glyph(fixed.Point26_6{}, r)
	if ok && !dr.Empty() {
		a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		draw.Draw(a, a.Bounds(), mask, mp, draw.Src)
		g = glyph{img: ebiten.NewImageFromImage(a), x: dr.Min.X, y: dr.Min.Y}
	}
	f.glyphs[gk] = g
	return g
}

// textStyle is how a string is drawn: size in logical pixels, colour, weight and alignment.
type textStyle struct {
	size   float64
	c      color.Color
	bold   bool
	centre bool // centred on x instead of starting at x
}

// text draws s with its top-left (or top-centre) at the logical point (x, y): glyph by
// glyph along the baseline, each at a whole pixel, kerned as the face says.
func (s *surface) text(str string, x, y float64, st textStyle) {
	k := s.faceKey(st)
	face := s.fonts.face(k)
	px := s.ox + x*s.u
	if st.centre {
		px -= pixels(font.MeasureString(face, str)) / 2
	}
	dot := fixed.Int26_6(math.Round(px * 64))
	baseline := math.Round(s.oy+y*s.u) + pixels(face.Metrics().Ascent)
	prev := rune(-1)
	for _, r := range str {
		if prev >= 0 {
			dot += face.Kern(prev, r)
		}
		prev = r
		if g := s.fonts.glyph(k, r); g.img != nil {
			op := &ebiten.DrawImageOptions{}
			op.GeoM.Translate(float64(dot.Round()+g.x), baseline+float64(g.y))
			op.ColorScale.ScaleWithColor(st.c)
			s.dst.DrawImage(g.img, op)
		}
		adv, _ := face.GlyphAdvance(r)
		dot += adv
	}
}

// width is the logical width of str in style st.
func (s *surface) width(str string, st textStyle) float64 {
	return pixels(font.MeasureString(s.fonts.face(s.faceKey(st)), str)) / s.u
}

// faceKey is the face of style st at the screen's scale.
func (s *surface) faceKey(st textStyle) faceKey { return faceKey{st.size * s.u, st.bold} }

// pixels converts a 26.6 fixed-point length to pixels.
func pixels(v fixed.Int26_6) float64 { return float64(v) / 64 }

// wrap breaks str into lines no wider than w, at spaces and at the newlines it has.
func (s *surface) wrap(str string, w float64, st textStyle) []string {
	var lines []string
	for _, para := range strings.Split(str, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			next := strings.TrimSpace(line + " " + word)
			if line != "" && s.width(next, st) > w {
				lines = append(lines, line)
				next = word
			}
			line = next
		}
		lines = append(lines, line)
	}
	return lines
}

// clip shortens str with "…" to fit in w.
func (s *surface) clip(str string, w float64, st textStyle) string {
	if s.width(str, st) <= w {
		return str
	}
	r := []rune(str)
	// The longest prefix that fits, by bisection: this runs every frame.
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.width(string(r[:mid])+"…", st) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + "…"
}
