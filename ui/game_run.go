package ui

import "github.com/hajimehoshi/ebiten/v2"

// Run opens the app's window (or canvas) and runs the game until it is closed.
func (a *App) Run() error { return a.run(nil) }

// RunScreenshot runs the game until the first grid is on screen and frames more frames
// have been drawn, writes the screen to a PNG file at path and returns.
func (a *App) RunScreenshot(path string, frames int) error {
	sh := &screenshot{path: path, frames: max(1, frames)}
	if err := a.run(sh); err != nil {
		return err
	}
	return sh.err
}

// run sets the window up and runs the game.
func (a *App) run(shot *screenshot) error {
	g, err := newGame(a, shot)
	if err != nil {
		return err
	}
	ebiten.SetWindowTitle("flowsphere")
	ebiten.SetWindowSize(screenW, screenH)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetRunnableOnUnfocused(true) // training progress keeps showing behind other windows
	return ebiten.RunGame(g)
}
