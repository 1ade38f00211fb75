package pool

import "sync"

// Buffer is a reusable float32 buffer for an op that needs one across several loops (a
// worker's scratch lasts one loop). One op holds it at a time; an op that finds it held,
// called from another goroutine, allocates its own instead. The zero value is ready.
type Buffer struct {
	mu  sync.Mutex
	buf []float32
}

// Take returns n float32s with undefined contents and whether they are the shared buffer,
// which Give must then return.
func (s *Buffer) Take(n int) (buf []float32, held bool) {
	if !s.mu.TryLock() {
		return make([]float32, n), false
	}
	s.buf = Grow(s.buf, n)
	return s.buf, true
}

// Give releases the shared buffer when held.
func (s *Buffer) Give(held bool) {
	if held {
		s.mu.Unlock()
	}
}
