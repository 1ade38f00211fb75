package ui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"flowsphere/ui/engine"
)

// Fine-tune layout.
var (
	thumbArea   = rect{290, 110, 470, 150}
	plotArea    = rect{290, 300, 470, 210}
	progressBar = rect{290, 540, 470, 22}
	previewGrid = rect{800, 120, 402, 402}
	cpuWarning  = rect{290, 610, 470, 130}
)

// targets are the step counts the target control steps through.
var targets = []int{50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000}

// resetFrames is how long Reset waits for its confirming second click (3 s at 60 fps).
const resetFrames = 180

// buildFineTune adds the fine-tune tab's controls.
func (g *game) buildFineTune(c *controls) {
	s := g.snap
	training := s.State == StateTraining
	trainLabel := "Train"
	switch {
	case training:
		trainLabel = "Pause"
	case !s.CanTrain && !g.consent:
		trainLabel = "Train (CPU)…"
	}
	// The neighbouring rungs of the ladder: the last below the target, the first above.
	higher := slices.IndexFunc(targets, func(t int) bool { return t > s.Target })
	lower := slices.IndexFunc(targets, func(t int) bool { return t >= s.Target }) - 1
	if lower == -2 { // every rung is below the target
		lower = len(targets) - 1
	}
	resetLabel := "Reset…"
	if g.resetArmed > 0 {
		resetLabel = "Click again to reset"
	}
	c.buttons = append(c.buttons,
		button{r: rect{20, 70, 220, 40}, label: trainLabel, on: training, off: s.Images == 0 && !training, do: g.trainOrPause},
		button{r: rect{20, 152, 40, 32}, label: "−", off: lower < 0, do: func() { g.app.SetTarget(targets[max(0, lower)]) }},
		button{r: rect{200, 152, 40, 32}, label: "+", off: higher < 0, do: func() { g.app.SetTarget(targets[max(0, higher)]) }},
		button{r: rect{20, 232, 108, 32}, label: "AE + refiner", on: !s.AEOnly, do: func() { g.app.SetAEOnly(false) }},
		button{r: rect{132, 232, 108, 32}, label: "AE only", on: s.AEOnly, do: func() { g.app.SetAEOnly(true) }},
		button{r: rect{20, 300, 220, 36}, label: "Save weights", do: g.app.Save},
		button{r: rect{20, 350, 220, 36}, label: resetLabel, on: g.resetArmed > 0, do: g.reset},
	)
	if g.warnCPU {
		c.buttons = append(c.buttons,
			button{r: rect{cpuWarning.x + 16, cpuWarning.y + 80, 250, 34}, label: "Train on the CPU anyway", do: func() {
				g.consent, g.warnCPU = true, false
				g.app.Train(0)
			}},
			button{r: rect{cpuWarning.x + 280, cpuWarning.y + 80, 120, 34}, label: "Cancel", do: func() { g.warnCPU = false }})
	}
}

// trainOrPause is the Train/Pause button: without WebGPU it asks first.
func (g *game) trainOrPause() {
	switch {
	case g.snap.State == StateTraining:
		g.app.Pause()
	case !g.snap.CanTrain && !g.consent:
		g.warnCPU = true
	default:
		g.app.Train(0)
	}
}

// reset asks for a second click, then resets.
func (g *game) reset() {
	if g.resetArmed == 0 {
		g.resetArmed = resetFrames
		return
	}
	g.resetArmed = 0
	g.app.Reset()
}

// drawFineTune paints the fine-tune tab.
func (g *game) drawFineTune(s *surface) {
	snap := g.snap
	label := textStyle{size: 14, c: colDim}
	hint := textStyle{size: 13, c: colDim}
	title := textStyle{size: 17, c: colText, bold: true}
	s.text("target steps", 20, 130, label)
	s.text(strconv.Itoa(snap.Target), 130, 157, textStyle{size: 18, c: colText, bold: true, centre: true})
	s.text("what trains", 20, 210, label)
	for i, l := range s.wrap("Images are cropped to squares and scaled to 32×32. Training uses your GPU; a reload keeps the fine-tune and its images. Reset forgets them.", 220, hint) {
		s.text(l, 20, 410+18*float64(i), hint)
	}
	if !snap.CanTrain {
		for i, l := range s.wrap("No WebGPU here: training would run on the CPU, very slowly.", 220, textStyle{size: 13}) {
			s.text(l, 20, 520+18*float64(i), textStyle{size: 13, c: colWarn})
		}
	}
	g.drawModelInfo(s)

	s.text(fmt.Sprintf("Your images (%d)", snap.Images), thumbArea.x, 80, title)
	g.drawThumbs(s)
	s.text("Loss", plotArea.x, 272, title)
	drawLossPlot(s, plotArea, snap.Losses)
	g.drawProgress(s)
	s.text(fmt.Sprintf("Preview · EMA weights, seed %d", engine.PreviewSeed), previewGrid.x, 80, title)
	if len(g.prev.imgs) == 0 {
		s.stroke(previewGrid, 1, colButton)
		s.text("Samples appear here when training starts.", previewGrid.x+previewGrid.w/2, previewGrid.y+previewGrid.h/2-10, textStyle{size: 15, c: colDim, centre: true})
	}
	drawTiles(s, &g.prev, cells(previewGrid, engine.GridSize, exploreCols, exploreCell, exploreGap), -1)
	s.text(fmt.Sprintf("Refined with %d Heun steps; refreshed every %d training steps.", snap.Steps, engine.PreviewEvery), previewGrid.x, previewGrid.y+previewGrid.h+12, hint)
	if g.warnCPU {
		s.fill(cpuWarning, colPanel)
		s.stroke(cpuWarning, 2, colWarn)
		for i, l := range s.wrap("This browser has no WebGPU, so training would run on the CPU backend: expect seconds per step. Sampling works fine either way.", cpuWarning.w-32, textStyle{size: 15}) {
			s.text(l, cpuWarning.x+16, cpuWarning.y+14+20*float64(i), textStyle{size: 15, c: colText})
		}
	}
}

// drawThumbs shows the fine-tune images, twice their size while few fit, or a drop target.
func (g *game) drawThumbs(s *surface) {
	n := len(g.thumbs.imgs)
	if n == 0 {
		s.stroke(thumbArea, 2, colButton)
		s.text("Drop images here", thumbArea.x+thumbArea.w/2, thumbArea.y+thumbArea.h/2-22, textStyle{size: 20, c: colText, centre: true})
		s.text("PNG, JPEG, GIF, BMP or WebP", thumbArea.x+thumbArea.w/2, thumbArea.y+thumbArea.h/2+8, textStyle{size: 14, c: colDim, centre: true})
		return
	}
	cell, gap := 64.0, 6.0
	if n > 14 {
		cell, gap = 32, 4
	}
	cols := int((thumbArea.w + gap) / (cell + gap))
	fit := cols * int((thumbArea.h+gap)/(cell+gap))
	shown := n
	if n > fit {
		shown = fit - 1 // the last cell says how many more there are
	}
	cs := cells(thumbArea, fit, cols, cell, gap)
	for i := range shown {
		s.image(g.thumbs.imgs[i], cs[i])
	}
	if shown < n {
		last := cs[fit-1]
		s.text(fmt.Sprintf("+%d", n-shown), last.x+last.w/2, last.y+last.h/2-8, textStyle{size: 13, c: colText, centre: true})
	}
}

// drawProgress paints the progress bar toward the target and the training numbers.
func (g *game) drawProgress(s *surface) {
	snap := g.snap
	s.bar(progressBar, snap.Step, snap.Target, fmt.Sprintf("step %d of %d", snap.Step, snap.Target))
	line := "not trained yet"
	if snap.Loss != nil {
		line = fmt.Sprintf("loss %.4f", *snap.Loss)
	}
	if snap.ImagesPerSec > 0 {
		line += fmt.Sprintf(" · %.0f images/s", snap.ImagesPerSec)
		if snap.State == StateTraining && snap.Step < snap.Target {
			line += " · " + engine.FormatDuration(time.Duration(snap.ETASeconds*float64(time.Second))) + " to go"
		}
	}
	s.text(line, progressBar.x, progressBar.y+32, textStyle{size: 15, c: colText})
}
