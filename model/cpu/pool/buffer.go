package cpu

import "sync"

// scratch is a Backend's reusable float32 buffer for an op that needs one across several
// parallel regions (a worker's scratch lasts one region). One op holds it at a time; an op
// that finds it held, called from another goroutine, allocates its own instead.
type scratch struct {
	mu  sync.Mutex
	buf []float32
}

// take returns n float32s with undefined contents and whether they are the shared buffer,
// which give must then return.
func (s *scratch) take(n int) (buf []float32, held bool) {
	if !s.mu.TryLock() {
		return make([]float32, n), false
	}
	s.buf = grow(s.buf, n)
	return s.buf, true
}

// give releases the shared buffer when held.
func (s *scratch) give(held bool) {
	if held {
		s.mu.Unlock()
	}
}
