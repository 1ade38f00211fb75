package ui

import (
	"image/color"
	"strings"

	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// fonts holds the Go fonts and the faces made from them, one per screen size. The faces are
// x/image/font faces (text.GoXFace): the app's labels are plain Latin text, and text/v2's
// own shaping faces would add 3 MB of HarfBuzz and OpenType tables to the browser's download.
type fonts struct {
	regular, bold *opentype.Font
	faces         map[faceKey]*text.GoXFace
}

type faceKey struct {
	size float64
	bold bool
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
	return &fonts{regular: regular, bold: bold, faces: map[faceKey]*text.GoXFace{}}, nil
}

// face returns the face of size screen pixels.
func (f *fonts) face(size float64, bold bool) *text.GoXFace {
	k := faceKey{size, bold}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	src := f.regular
	if bold {
		src = f.bold
	}
	// At 72 DPI a size in points is one in pixels, as text.GoTextFace's Size was. NewFace
	// cannot fail: it only scales the parsed font.
	xf, _ := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	fc := text.NewGoXFace(xf)
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
