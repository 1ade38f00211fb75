package ui

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// Colours of the flat theme.
var (
	colBackground = color.RGBA{0x1b, 0x1c, 0x21, 0xff}
	colPanel      = color.RGBA{0x25, 0x27, 0x2e, 0xff}
	colButton     = color.RGBA{0x3a, 0x3d, 0x48, 0xff}
	colHover      = color.RGBA{0x4c, 0x50, 0x5e, 0xff}
	colAccent     = color.RGBA{0x4f, 0x86, 0xf0, 0xff}
	colText       = color.RGBA{0xea, 0xeb, 0xee, 0xff}
	colDim        = color.RGBA{0x9a, 0x9d, 0xa8, 0xff}
	colError      = color.RGBA{0xd9, 0x3f, 0x45, 0xff}
	colGood       = color.RGBA{0x3f, 0xb9, 0x6d, 0xff}
	colWarn       = color.RGBA{0xe0, 0xa0, 0x30, 0xff}
)

// button is a flat clickable rectangle with a label.
type button struct {
	r     rect
	label string
	on    bool // shown selected: the current tab, a running toggle
	off   bool // disabled
	do    func()
}

// slider picks a value in lo…hi by clicking or dragging along it.
type slider struct {
	r         rect
	lo, hi, v float64
	set       func(v float64)
}

// hotspot is an invisible clickable area, such as a grid image.
type hotspot struct {
	r  rect
	do func()
}

// controls are the interactive parts of one frame, rebuilt every Update from the state.
type controls struct {
	buttons []button
	sliders []slider
	spots   []hotspot
}

// pointer is the mouse or first touch of this frame in logical coordinates.
type pointer struct {
	x, y          float64
	pressed, held bool // just went down; is down
}

// readPointer reads the mouse, or a touch when there is one.
func readPointer(u, ox, oy float64) pointer {
	mx, my := ebiten.CursorPosition()
	p := pointer{
		pressed: inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft),
		held:    ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft),
	}
	if ids := ebiten.AppendTouchIDs(nil); len(ids) > 0 {
		mx, my = ebiten.TouchPosition(ids[0])
		p.held = true
		p.pressed = inpututil.TouchPressDuration(ids[0]) == 1
	}
	p.x, p.y = toLogical(mx, my, u, ox, oy)
	return p
}

// handle runs what the pointer does to the controls: a press clicks a button or hotspot or
// grabs a slider; a held slider follows the pointer. It returns the grabbed slider (-1 if
// none).
func (c *controls) handle(p pointer, grabbed int) int {
	if !p.held {
		grabbed = -1
	}
	if p.pressed {
		for i, s := range c.sliders {
			if s.r.inset(-6).contains(p.x, p.y) {
				grabbed = i
			}
		}
		if grabbed < 0 {
			c.click(p)
		}
	}
	if grabbed >= 0 && grabbed < len(c.sliders) {
		s := c.sliders[grabbed]
		t := min(1, max(0, (p.x-s.r.x)/s.r.w))
		s.set(s.lo + t*(s.hi-s.lo))
	}
	return grabbed
}

// click runs the first enabled button, else the first hotspot, under the pointer.
func (c *controls) click(p pointer) {
	for _, b := range c.buttons {
		if !b.off && b.r.contains(p.x, p.y) {
			b.do()
			return
		}
	}
	for _, h := range c.spots {
		if h.r.contains(p.x, p.y) {
			h.do()
			return
		}
	}
}

// draw paints the buttons and sliders.
func (c *controls) draw(s *surface) {
	for _, b := range c.buttons {
		bg, fg := colButton, colText
		switch {
		case b.off:
			bg, fg = colPanel, colDim
		case b.on:
			bg = colAccent
		case s.hover(b.r):
			bg = colHover
		}
		s.fill(b.r, bg)
		s.text(b.label, b.r.x+b.r.w/2, b.r.y+b.r.h/2-9, textStyle{size: 15, c: fg, centre: true})
	}
	for _, sl := range c.sliders {
		t := (sl.v - sl.lo) / (sl.hi - sl.lo)
		mid := sl.r.y + sl.r.h/2
		s.fill(rect{sl.r.x, mid - 2, sl.r.w, 4}, colButton)
		s.fill(rect{sl.r.x, mid - 2, t * sl.r.w, 4}, colAccent)
		x, y, _, _ := s.screen(rect{x: sl.r.x + t*sl.r.w, y: mid})
		vector.DrawFilledCircle(s.dst, x, y, float32(8*s.u), colText, true)
	}
}
