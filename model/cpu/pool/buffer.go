package pool

import "sync"

// Buffer is a reusable buffer of E for an op that needs one across several loops (a
// worker's scratch lasts one loop). One op holds it at a time; an op that finds it held,
// called from another goroutine, allocates its own instead. The zero value is ready.
type Buffer[E any] struct {
	mu  sync.Mutex
	buf []E
}

// Take returns n elements with undefined contents and whether they are the shared buffer,
// which Give must then return.
func (s *Buffer[E]) Take(n int) (buf []E, held bool) {
	if !s.mu.TryLock() {
		return make([]E, n), false
	}
	s.buf = Grow(s.buf, n)
	return s.buf, true
}

// Give releases the shared buffer when held.
func (s *Buffer[E]) Give(held bool) {
	if held {
		s.mu.Unlock()
	}
}
