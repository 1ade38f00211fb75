package ui

import (
	"bytes"
	"image/color"
	"strings"

	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// fonts holds the Go fonts and the faces made from them, one per screen size.
type fonts struct {
	regular, bold *text.GoTextFaceSource
	faces         map[faceKey]*text.GoTextFace
}

type faceKey struct {
	size float64
	bold bool
}

// loadFonts parses the embedded Go fonts.
func loadFonts() (*fonts, error) {
	regular, err := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		return nil, err
	}
	bold, err := text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	if err != nil {
		return nil, err
	}
	return &fonts{regular: regular, bold: bold, faces: map[faceKey]*text.GoTextFace{}}, nil
}

// face returns the face of size screen pixels.
func (f *fonts) face(size float64, bold bool) *text.GoTextFace {
	k := faceKey{size, bold}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	src := f.regular
	if bold {
		src = f.bold
	}
	fc := &text.GoTextFace{Source: src, Size: size}
	f.faces[k] = fc
	return fc
}

// textStyle is how a string is drawn: size in logical pixels, colour, weight and alignment.
type textStyle struct {
	size   float64
	c      color.Color
	bold   bool
	centre bool // centred on x instead of starting at x
}

// text draws s with its top-left (or top-centre) at the logical point (x, y).
func (s *surface) text(str string, x, y float64, st textStyle) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(s.ox+x*s.u, s.oy+y*s.u)
	op.ColorScale.ScaleWithColor(st.c)
	if st.centre {
		op.PrimaryAlign = text.AlignCenter
	}
	text.Draw(s.dst, str, s.fonts.face(st.size*s.u, st.bold), op)
}

// width is the logical width of str in style st.
func (s *surface) width(str string, st textStyle) float64 {
	return text.Advance(str, s.fonts.face(st.size*s.u, st.bold)) / s.u
}

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
