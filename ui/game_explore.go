package ui

import (
	"fmt"
	"strconv"

	"flowsphere/ui/engine"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// Explore layout: the AE decodes and the refined images side by side, 4×4 each, 32-pixel
// images at three times their size.
const (
	exploreCell = 96
	exploreGap  = 6
	exploreCols = 4
)

var (
	exploreDec = rect{338, 120, 402, 402}
	exploreRef = rect{800, 120, 402, 402}
	seedField  = rect{64, 152, 132, 32}
)

// buildExplore adds the explore tab's controls: generation, seed, steps, walk, neighbour
// angle, save.
func (g *game) buildExplore(c *controls) {
	row := func(y float64, minus, plus func(), offMinus, offPlus bool) {
		c.buttons = append(c.buttons,
			button{r: rect{20, y, 40, 32}, label: "−", do: minus, off: offMinus},
			button{r: rect{200, y, 40, 32}, label: "+", do: plus, off: offPlus})
	}
	c.buttons = append(c.buttons, button{r: rect{20, 70, 220, 40}, label: "Generate new", do: func() { g.generate(RandomSeed()) }})
	row(152, func() { g.generate(g.seed - 1) }, func() { g.generate(g.seed + 1) }, g.seed == 0, false)
	c.buttons = append(c.buttons, button{r: seedField, label: g.seedLabel(), on: g.editing, do: func() { g.editing, g.typed = !g.editing, "" }})
	setSteps := func(d int) func() {
		return func() { g.steps = min(MaxSteps, max(MinSteps, g.steps+d)); g.app.Generate(g.seed, g.steps) }
	}
	row(222, setSteps(-1), setSteps(1), g.steps <= MinSteps, g.steps >= MaxSteps)
	walking := g.snap.View == engine.ViewWalk
	walkLabel := "Latent walk"
	if walking {
		walkLabel = "Stop the walk"
	}
	c.buttons = append(c.buttons,
		button{r: rect{20, 280, 220, 36}, label: walkLabel, on: walking, do: func() { g.app.Walk(!walking) }},
		button{r: rect{20, 470, 220, 36}, label: "Back to samples", off: g.snap.View == engine.ViewSamples, do: func() { g.app.Generate(g.seed, g.steps) }},
		button{r: rect{20, 560, 220, 36}, label: "Save weights", do: g.app.Save},
	)
	c.sliders = append(c.sliders, slider{r: rect{28, 380, 204, 20}, lo: 1, hi: 90, v: g.angle, set: func(v float64) { g.angle = float64(int(v + 0.5)) }})
	for i, r := range append(cells(exploreDec, engine.GridSize, exploreCols, exploreCell, exploreGap), cells(exploreRef, engine.GridSize, exploreCols, exploreCell, exploreGap)...) {
		c.spots = append(c.spots, hotspot{r: r, do: func() { g.app.Neighbours(i%engine.GridSize, g.angle) }})
	}
}

// seedLabel is what the seed field shows.
func (g *game) seedLabel() string {
	if g.editing {
		return g.typed + "_"
	}
	return strconv.FormatUint(g.seed, 10)
}

// typeSeed edits the seed field: digits, Backspace, Enter to generate, Escape to cancel.
func (g *game) typeSeed() {
	for _, r := range ebiten.AppendInputChars(nil) {
		if r >= '0' && r <= '9' && len(g.typed) < 18 {
			g.typed += string(r)
		}
	}
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyBackspace) && g.typed != "":
		g.typed = g.typed[:len(g.typed)-1]
	case inpututil.IsKeyJustPressed(ebiten.KeyEnter) || inpututil.IsKeyJustPressed(ebiten.KeyNumpadEnter):
		if seed, err := strconv.ParseUint(g.typed, 10, 64); err == nil {
			g.generate(seed)
		}
		g.editing = false
	case inpututil.IsKeyJustPressed(ebiten.KeyEscape):
		g.editing = false
	}
}

// drawExplore paints the explore tab: labels, the two grids and a caption.
func (g *game) drawExplore(s *surface) {
	label := textStyle{size: 14, c: colDim}
	hint := textStyle{size: 13, c: colDim}
	s.text("seed", 20, 130, label)
	s.text("refinement steps (Heun)", 20, 200, label)
	s.text(strconv.Itoa(g.steps), 130, 227, textStyle{size: 18, c: colText, bold: true, centre: true})
	s.text(fmt.Sprintf("neighbour angle: %.0f°", g.angle), 20, 350, label)
	for i, l := range s.wrap("Click an image to see its neighbours on the sphere at this angle.", 220, hint) {
		s.text(l, 20, 410+18*float64(i), hint)
	}
	for i, l := range s.wrap("Drop a .safetensors.zst file on the window to load it as the model. Drop images to fine-tune on them.", 220, hint) {
		s.text(l, 20, 610+18*float64(i), hint)
	}
	g.drawModelInfo(s)

	title := textStyle{size: 17, c: colText, bold: true}
	s.text("AE decode", exploreDec.x, 90, title)
	refined := fmt.Sprintf("refined · %d Heun steps", g.snap.Steps)
	if g.snap.Steps == 0 {
		refined = "refined · 0 steps (AE decode)"
	}
	s.text(refined, exploreRef.x, 90, title)
	centre := -1
	if g.snap.View == engine.ViewNeighbours {
		centre = g.snap.Grid.Centre
	}
	drawTiles(s, &g.dec, cells(exploreDec, engine.GridSize, exploreCols, exploreCell, exploreGap), centre)
	drawTiles(s, &g.ref, cells(exploreRef, engine.GridSize, exploreCols, exploreCell, exploreGap), centre)
	g.drawTask(s)
	captions := map[string]string{
		engine.ViewSamples:    samplesCaption(g.snap.Seed, g.snap.Loops),
		engine.ViewWalk:       "Latent walk: every image slides along a great circle of the sphere to a new random point, and on again.",
		engine.ViewNeighbours: fmt.Sprintf("The chosen image (outlined) and %d random neighbours %.0f° away on the sphere. Click one to move there; Back to samples returns.", engine.GridSize-1, g.snap.Angle),
	}
	for i, l := range s.wrap(captions[g.snap.View], exploreRef.x+exploreRef.w-exploreDec.x, textStyle{size: 15}) {
		s.text(l, exploreDec.x, 545+20*float64(i), textStyle{size: 15, c: colText})
	}
}

// samplesCaption explains the sample grid of seed, whose points ran loops encode→decode
// loops before their decode.
func samplesCaption(seed uint64, loops int) string {
	decoded := "each decoded by the autoencoder"
	if loops > 0 {
		decoded += fmt.Sprintf(" after %d encode-decode loops", loops)
	}
	return fmt.Sprintf("%d random points on the sphere from seed %d: %s (left) and refined by the flow model (right). Click an image to see its neighbours.", engine.GridSize, seed, decoded)
}

// drawModelInfo writes the model's name and size at the bottom of the sidebar.
func (g *game) drawModelInfo(s *surface) {
	st := textStyle{size: 13, c: colDim}
	s.text(g.snap.Model, 20, 700, st)
	if g.snap.Params > 0 {
		s.text(fmt.Sprintf("%s config · %s parameters", g.snap.Config, engine.FormatCount(g.snap.Params)), 20, 720, st)
	}
}

// drawTask shows a generation under way: a progress bar over the grid still to come, the
// decodes while they loop, the refined images once the decodes are shown.
func (g *game) drawTask(s *surface) {
	snap := g.snap
	area, what := exploreDec, "encode→decode loops"
	if snap.Loops == 0 { // the first pass decodes the drawn points, no loop follows
		what = "decoding"
	}
	switch snap.Task {
	case "":
		return
	case engine.TaskRefining:
		area, what = exploreRef, "refining"
	}
	r := rect{area.x + 40, area.y + area.h/2 - 14, area.w - 80, 28}
	s.fill(r.inset(-12), colPanel)
	s.bar(r, snap.TaskDone, snap.TaskTotal, fmt.Sprintf("%s: step %d of %d", what, snap.TaskDone, snap.TaskTotal))
}
