package ui

import (
	"image/color"
	"math"

	"flowsphere/ui/engine"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// Modes of the app: the two tabs.
const (
	modeExplore = iota
	modeFineTune
)

// Layout of the logical screen.
var (
	headerBar = rect{0, 0, screenW, 48}
	sideBar   = rect{0, 48, 260, screenH - 48 - 28}
	mainArea  = rect{260, 48, screenW - 260, screenH - 48 - 28}
	statusBar = rect{0, screenH - 28, screenW, 28}
)

// game is the Ebiten game. It runs on Ebiten's goroutine and never waits on the engine:
// it reads the latest engine.Frame and queues commands through the App.
type game struct {
	app   *App
	fonts *fonts
	snap  engine.Frame
	seq   uint64

	mode    int
	seed    uint64  // the seed field
	steps   int     // the refinement steps control
	angle   float64 // neighbour angle in degrees
	editing bool    // the seed field takes typed digits
	typed   string  // digits typed so far

	consent     bool   // the user accepted training on the CPU
	warnCPU     bool   // the CPU training warning is showing
	resetArmed  int    // frames left in which a second click on Reset resets
	hiddenError string // the error the user dismissed

	ctl     controls
	grabbed int // slider being dragged, -1 if none

	u, ox, oy              float64 // placement of the logical screen (see place)
	dec, ref, prev, thumbs tiles
	shot                   *screenshot
}

// newGame makes the game of app; shot, if not nil, takes a screenshot and ends the game.
func newGame(app *App, shot *screenshot) (*game, error) {
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	g := &game{app: app, fonts: f, steps: engine.DefaultSteps, angle: 20, grabbed: -1, shot: shot}
	g.u, g.ox, g.oy = place(screenW, screenH)
	return g, nil
}

// Update reads the engine's state and the input, and queues commands.
func (g *game) Update() error {
	if g.shot != nil && g.shot.done {
		return g.shot.end()
	}
	g.poll()
	g.dropped()
	g.keys()
	g.resetArmed = max(0, g.resetArmed-1)
	g.ctl = g.build()
	g.grabbed = g.ctl.handle(readPointer(g.u, g.ox, g.oy), g.grabbed)
	return nil
}

// poll takes the engine's latest frame, if new, and updates the textures.
func (g *game) poll() {
	g.snap.Busy = g.app.Busy()
	s, seq, ok := g.app.FrameIfNew(g.seq)
	if !ok {
		return
	}
	if s.Grids != g.snap.Grids { // the controls follow the grid, whoever asked for it
		g.seed, g.steps = s.Seed, s.Steps
		if s.View == engine.ViewNeighbours {
			g.angle = s.Angle
		}
	}
	if s.Images > g.snap.Images && g.seq != 0 || s.State == StateTraining && g.snap.State != StateTraining {
		g.mode = modeFineTune // images arrived or training started: show them
	}
	g.snap, g.seq = s, seq
	g.dec.update(s.Grid.Decoded, s.Grid.Size)
	g.ref.update(s.Grid.Refined, s.Grid.Size)
	g.prev.update(s.Preview.Refined, s.Preview.Size)
	g.thumbs.update(s.Thumbs, s.ImageSize)
}

// keys handles the keyboard: typing a seed, and shortcuts.
func (g *game) keys() {
	if g.editing {
		g.typeSeed()
		return
	}
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyG):
		g.generate(RandomSeed())
	case inpututil.IsKeyJustPressed(ebiten.KeyW):
		g.app.Walk(g.snap.View != engine.ViewWalk)
	case inpututil.IsKeyJustPressed(ebiten.KeySpace) && g.mode == modeFineTune:
		g.trainOrPause()
	}
}

// generate asks for a grid from seed with the current steps.
func (g *game) generate(seed uint64) {
	g.seed = seed
	g.app.Generate(seed, g.steps)
}

// build lays out this frame's controls.
func (g *game) build() controls {
	var c controls
	c.buttons = append(c.buttons,
		button{r: rect{280, 8, 120, 32}, label: "Explore", on: g.mode == modeExplore, do: func() { g.mode = modeExplore }},
		button{r: rect{408, 8, 120, 32}, label: "Fine-tune", on: g.mode == modeFineTune, do: func() { g.mode = modeFineTune }},
	)
	if g.snap.Error != "" && g.snap.Error != g.hiddenError {
		c.buttons = append(c.buttons, button{r: rect{mainArea.x + mainArea.w - 44, mainArea.y + 8, 28, 24}, label: "×", do: func() { g.hiddenError = g.snap.Error }})
	}
	if g.mode == modeExplore {
		g.buildExplore(&c)
	} else {
		g.buildFineTune(&c)
	}
	return c
}

// Draw paints the whole screen from the current engine.Frame.
func (g *game) Draw(screen *ebiten.Image) {
	screen.Fill(colBackground)
	s := &surface{dst: screen, u: g.u, ox: g.ox, oy: g.oy, fonts: g.fonts}
	mx, my := ebiten.CursorPosition()
	s.hoverX, s.hoverY = toLogical(mx, my, g.u, g.ox, g.oy)
	s.fill(s.wide(headerBar), colPanel)
	s.fill(sideBar, colPanel)
	s.text("flowsphere", 20, 11, textStyle{size: 22, c: colText, bold: true})
	small := textStyle{size: 13, c: colDim}
	backend := s.clip(g.snap.Backend, screenW-560, small)
	s.text(backend, screenW-20-s.width(backend, small), 16, small)
	if g.mode == modeExplore {
		g.drawExplore(s)
	} else {
		g.drawFineTune(s)
	}
	if g.snap.State == StateLoading && g.snap.Params == 0 {
		s.text("Loading the model…", mainArea.x+mainArea.w/2, mainArea.y+mainArea.h/2, textStyle{size: 24, c: colText, centre: true})
	}
	g.drawError(s)
	g.drawStatus(s)
	g.ctl.draw(s)
	if g.shot != nil {
		g.shot.capture(screen, g.snap)
	}
}

// drawError shows the last error over the top of the main area until dismissed or
// replaced.
func (g *game) drawError(s *surface) {
	if g.snap.Error == "" || g.snap.Error == g.hiddenError {
		return
	}
	st := textStyle{size: 15, c: colText}
	lines := s.wrap(g.snap.Error, mainArea.w-80, st)
	box := rect{mainArea.x + 10, mainArea.y + 4, mainArea.w - 20, 16 + 20*float64(len(lines))}
	s.fill(box, colError)
	for i, l := range lines {
		s.text(l, box.x+12, box.y+8+20*float64(i), st)
	}
}

// drawStatus paints the status line: a dot in the state's colour and what is happening.
func (g *game) drawStatus(s *surface) {
	s.fill(s.wide(statusBar), colPanel)
	dot := map[string]color.RGBA{StateReady: colGood, StateTraining: colAccent, StateError: colError, StateLoading: colWarn}
	if c, ok := dot[g.snap.State]; ok {
		s.fill(rect{14, statusBar.y + 9, 10, 10}, c)
	}
	st := textStyle{size: 14, c: colText}
	s.text(s.clip(g.snap.Status, statusBar.w-50, st), 32, statusBar.y+5, st)
}

// LayoutF makes the screen as many pixels as the window has, so that text is sharp and
// images scale by whole numbers (see place).
func (g *game) LayoutF(w, h float64) (float64, float64) {
	dsf := ebiten.Monitor().DeviceScaleFactor()
	W, H := math.Ceil(w*dsf), math.Ceil(h*dsf)
	g.u, g.ox, g.oy = place(int(W), int(H))
	return W, H
}

// Layout is required by ebiten.Game; Ebiten calls LayoutF instead.
func (g *game) Layout(w, h int) (int, int) {
	W, H := g.LayoutF(float64(w), float64(h))
	return int(W), int(H)
}
