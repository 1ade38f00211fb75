package engine

import "sync"

// mailbox holds the engine's latest published Frame; the game polls it every frame.
type mailbox struct {
	mu   sync.Mutex
	snap Frame
	seq  uint64 // bumped by every publish, so readers can skip unchanged frames
}

// store publishes s.
func (m *mailbox) store(s Frame) {
	m.mu.Lock()
	m.snap = s
	m.seq++
	m.mu.Unlock()
}

// load returns the latest Frame.
func (m *mailbox) load() Frame {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snap
}

// loadIfNew returns the latest Frame if it was published after seq, with its number.
func (m *mailbox) loadIfNew(seq uint64) (Frame, uint64, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snap, m.seq, m.seq != seq
}
