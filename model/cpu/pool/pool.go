package pool

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Task is the body of one parallel loop: Run handles items [lo, hi) on worker w, whose
// scratch it may use until it returns.
type Task interface {
	Run(w *Worker, lo, hi int)
}

// ChunksPerWorker is how many chunks a loop is cut into per thread, at most: more than one,
// so a thread slowed by other processes hands its remaining chunks to the others.
const ChunksPerWorker = 4

// pool is the process's worker goroutines, started on first use. One loop runs on it at a
// time: the calling goroutine holds mu, publishes the loop, wakes as many workers as there
// are chunks beyond its own, claims chunks itself and waits for the rest. Nothing in that
// path allocates, so an op's cost does not include the garbage collector.
type pool struct {
	mu      sync.Mutex // held by the goroutine running a loop
	workers []*Worker  // workers[0] is the scratch of the goroutine holding mu

	// The loop in flight, written under mu before any worker is woken.
	body    Task
	n, size int          // items and items per chunk
	chunks  int          // number of chunks
	next    atomic.Int64 // next chunk to claim
	busy    sync.WaitGroup

	slots map[any]any // reusable task structs by type, used under mu (see slotFor)
	sums  []float64   // SumBlocks' per-block results, used under mu
}

// shared returns the process's pool, starting GOMAXPROCS−1 worker goroutines the first
// time (the caller is the last thread).
var shared = sync.OnceValue(func() *pool {
	p := &pool{slots: map[any]any{}}
	p.workers = make([]*Worker, runtime.GOMAXPROCS(0))
	for i := range p.workers {
		p.workers[i] = &Worker{wake: make(chan struct{}, 1)}
		if i > 0 {
			go p.serve(p.workers[i])
		}
	}
	return p
})

// serve is a worker goroutine: each wake-up is one loop to help with.
func (p *pool) serve(w *Worker) {
	for range w.wake {
		p.claim(w)
		p.busy.Done()
	}
}

// claim runs chunks of the loop in flight on w until none are left.
func (p *pool) claim(w *Worker) {
	for {
		c := int(p.next.Add(1)) - 1
		if c >= p.chunks {
			return
		}
		lo := c * p.size
		clearVectorState()
		p.body.Run(w, lo, min(lo+p.size, p.n))
	}
}

// Threads is how many goroutines run a loop: the pool's, fewer if GOMAXPROCS was lowered
// since it started.
func Threads() int { return shared().threads() }

func (p *pool) threads() int { return min(len(p.workers), runtime.GOMAXPROCS(0)) }

// acquire returns the shared pool locked for one loop, or nil when another goroutine (or
// an enclosing loop on this one) holds it.
func acquire() *pool {
	if p := shared(); p.mu.TryLock() {
		return p
	}
	return nil
}

// release unlocks a pool from acquire; nil does nothing.
func (p *pool) release() {
	if p != nil {
		p.mu.Unlock()
	}
}

// loop runs body over [0, n) in chunks of at least grain items; p is held, or nil to run
// everything on the calling goroutine with fresh scratch. A panic in the caller's chunks
// still waits for the workers before it propagates, so the pool stays consistent.
func (p *pool) loop(n, grain int, body Task) {
	if n <= 0 {
		return
	}
	if p == nil {
		body.Run(&Worker{}, 0, n)
		return
	}
	// At least grain items per chunk, at most ChunksPerWorker chunks per thread.
	threads := p.threads()
	chunks := max(1, min(n/max(grain, 1), threads*ChunksPerWorker))
	size := (n + chunks - 1) / chunks
	p.body, p.n, p.size, p.chunks = body, n, size, (n+size-1)/size
	p.next.Store(0)
	helpers := min(p.chunks, threads) - 1
	p.busy.Add(helpers)
	defer func() {
		p.busy.Wait()
		p.body = nil
	}()
	for _, w := range p.workers[1 : 1+helpers] {
		w.wake <- struct{}{}
	}
	p.claim(p.workers[0])
}
