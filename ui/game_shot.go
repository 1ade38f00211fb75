package ui

import (
	"image"
	"image/png"
	"os"

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
	sh.err, sh.done = writePNG(sh.path, img), true
}

// end stops the game after the capture.
func (sh *screenshot) end() error {
	if sh.err != nil {
		return sh.err
	}
	return ebiten.Termination
}

// writePNG writes img to path.
func writePNG(path string, img image.Image) error {
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
