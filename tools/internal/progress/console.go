package progress

import (
	"io"
	"os"
)

// Console writes to os.Stderr and remembers whether the last write left a line open, so that
// notes written while a bar's line is unfinished start on a line of their own.
type Console struct{ midLine bool }

// Stderr is the commands' shared console for bars and notes.
var Stderr = &Console{}

// Write implements io.Writer.
func (c *Console) Write(p []byte) (int, error) {
	if len(p) > 0 {
		c.midLine = p[len(p)-1] != '\n'
	}
	return os.Stderr.Write(p)
}

// Notes is a writer for messages on c that first ends an open bar line.
func (c *Console) Notes() io.Writer { return notes{c} }

type notes struct{ c *Console }

func (n notes) Write(p []byte) (int, error) {
	if n.c.midLine {
		n.c.Write([]byte("\n"))
	}
	return n.c.Write(p)
}

// Stages starts a bar on Stderr for one stage of work; its signature matches the data
// package's Progress callback.
func Stages(label, unit string, total int) (add func(int), done func()) {
	b := New(Stderr, label, unit, total)
	return b.Add, b.Done
}
