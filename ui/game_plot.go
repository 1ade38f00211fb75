package ui

import (
	"fmt"
	"math"

	"flowsphere/ui/engine"
)

// drawLossPlot draws the loss history in r: steps 0 to the last across (the progress bar
// shows the way to the target), the loss on a log scale up (fine-tuning losses fall by factors, and a log axis keeps the late,
// small improvements visible). Non-finite points are left out.
func drawLossPlot(s *surface, r rect, losses []engine.LossPoint) {
	s.fill(r, colPanel)
	var pts []engine.LossPoint
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range losses {
		if p.Total > 0 && !math.IsInf(p.Total, 1) { // NaN fails the first test
			pts = append(pts, p)
			lo, hi = min(lo, p.Total), max(hi, p.Total)
		}
	}
	if len(pts) == 0 {
		s.text("The loss appears here while training.", r.x+r.w/2, r.y+r.h/2-10, textStyle{size: 15, c: colDim, centre: true})
		return
	}
	if hi/lo < 1.1 { // a flat curve gets a little room above and below
		lo, hi = lo/1.05, hi*1.05
	}
	span := float64(max(pts[len(pts)-1].Step, 10))
	in := rect{r.x + 56, r.y + 10, r.w - 66, r.h - 34}
	x := func(step int) float64 { return in.x + in.w*float64(step)/span }
	y := func(v float64) float64 { return in.y + in.h*(1-math.Log(v/lo)/math.Log(hi/lo)) }
	axis := textStyle{size: 12, c: colDim}
	for _, v := range []float64{lo, math.Sqrt(lo * hi), hi} {
		s.line(in.x, y(v), in.x+in.w, y(v), 1, colButton)
		s.text(fmt.Sprintf("%.3g", v), r.x+6, y(v)-8, axis)
	}
	s.text("0", in.x, in.y+in.h+6, axis)
	end := fmt.Sprint(int(span))
	s.text(end, in.x+in.w-s.width(end, axis), in.y+in.h+6, axis)
	// The reports are noisy (a few small batches each): a thin line shows them, a bold
	// running average (in log space, like the axis) the trend. The average follows faster
	// while there are few reports.
	avg, rate := math.Log(pts[0].Total), max(0.1, 3/float64(len(pts)))
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		s.line(x(a.Step), y(a.Total), x(b.Step), y(b.Total), 1, colDim)
		prev := avg
		avg += min(1, rate) * (math.Log(b.Total) - avg)
		s.line(x(a.Step), y(math.Exp(prev)), x(b.Step), y(math.Exp(avg)), 2.5, colAccent)
	}
	if len(pts) == 1 {
		p := pts[0]
		s.fill(rect{x(p.Step) - 2, y(p.Total) - 2, 4, 4}, colAccent)
	}
}
