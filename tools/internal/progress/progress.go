// Package progress draws a one-line progress bar with rate and ETA on a terminal stream,
// for the native commands' long work. It imports nothing of ours.
package progress

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Bar is a progress bar over Total units of work. It redraws at most every 200 ms.
type Bar struct {
	Label string
	Unit  string // what is counted, e.g. "steps"
	Total int
	Out   io.Writer

	done  int
	base  int // units already done when the bar started (a resumed run), not counted in the rate
	start time.Time
	drawn time.Time
}

// New starts a bar writing to out.
func New(out io.Writer, label, unit string, total int) *Bar {
	return &Bar{Label: label, Unit: unit, Total: total, Out: out, start: time.Now()}
}

// Resume marks n units as done before this run, so rate and ETA count only new work.
func (b *Bar) Resume(n int) {
	b.done, b.base = n, n
}

// Add records n more units done and redraws when due.
func (b *Bar) Add(n int) {
	b.done += n
	if now := time.Now(); now.Sub(b.drawn) >= 200*time.Millisecond || b.done >= b.Total {
		b.drawn = now
		fmt.Fprint(b.Out, "\r"+b.Line(now))
	}
}

// Done finishes the line.
func (b *Bar) Done() {
	fmt.Fprint(b.Out, "\r"+b.Line(time.Now())+"\n")
}

// Line renders the bar as of now.
func (b *Bar) Line(now time.Time) string {
	const width = 24
	frac := 0.0
	if b.Total > 0 {
		frac = min(1, float64(b.done)/float64(b.Total))
	}
	fill := int(frac * width)
	elapsed := now.Sub(b.start).Seconds()
	rate, eta := 0.0, "?"
	if elapsed > 0 && b.done > b.base {
		rate = float64(b.done-b.base) / elapsed
		eta = (time.Duration(float64(b.Total-b.done)/rate) * time.Second).Round(time.Second).String()
	}
	return fmt.Sprintf("%s [%s%s] %d/%d %s  %.2f %s/s  ETA %s ", b.Label,
		strings.Repeat("#", fill), strings.Repeat(".", width-fill), b.done, b.Total, b.Unit, rate, b.Unit, eta)
}
