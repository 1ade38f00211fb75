package engine

import (
	"sync"
	"sync/atomic"
)

// command is one request for the engine goroutine. run returns the error to show.
type command struct {
	// view marks a request that replaces the grid: of several queued view requests only the
	// latest runs, so a burst of clicks costs one generation, not a backlog.
	view bool
	run  func(e *Engine) error
}

// queue is an unbounded command queue: push never blocks and never drops a command.
type queue struct {
	mu   sync.Mutex
	cmds []command
	wake chan struct{} // capacity 1: "the queue may hold something"

	// inflight counts commands pushed and not yet finished, so State().Busy is true from
	// the moment a command is queued until its effect is published.
	inflight atomic.Int64
}

func newQueue() *queue { return &queue{wake: make(chan struct{}, 1)} }

// push appends c and wakes the engine.
func (q *queue) push(c command) {
	q.inflight.Add(1)
	q.mu.Lock()
	q.cmds = append(q.cmds, c)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// take removes and returns the queued commands in order, keeping only the last view
// request.
func (q *queue) take() []command {
	q.mu.Lock()
	cmds := q.cmds
	q.cmds = nil
	q.mu.Unlock()
	last := -1
	for i, c := range cmds {
		if c.view {
			last = i
		}
	}
	out := cmds[:0]
	for i, c := range cmds {
		if !c.view || i == last {
			out = append(out, c)
		}
	}
	q.inflight.Add(int64(len(out) - len(cmds))) // the replaced view requests are done
	return out
}

// done marks one taken command finished.
func (q *queue) done() { q.inflight.Add(-1) }

// busy reports whether commands are queued or running.
func (q *queue) busy() bool { return q.inflight.Load() > 0 }
