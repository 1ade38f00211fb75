package ui

import (
	"image"

	"flowsphere/model/data"
	"flowsphere/ui/engine"

	"github.com/hajimehoshi/ebiten/v2"
)

// screenshot captures the screen once the app has drawn its first grid and frames more
// frames have passed, then ends the game.
type screenshot struct {
	path   string
	frames int
	seen   int
	done   bool
	err    error
}

// capture counts a drawn frame and, when it is time, writes the screen to the PNG file.
func (sh *screenshot) capture(screen *ebiten.Image, s engine.Frame) {
	if sh.done || s.State == StateLoading || s.Busy || s.Grids == 0 && s.Error == "" {
		return
	}
	if sh.seen++; sh.seen < sh.frames {
		return
	}
	img := image.NewRGBA(screen.Bounds())
	screen.ReadPixels(img.Pix)
	sh.err, sh.done = data.WritePNG(sh.path, img), true
}

// end stops the game after the capture.
func (sh *screenshot) end() error {
	if sh.err != nil {
		return sh.err
	}
	return ebiten.Termination
}
