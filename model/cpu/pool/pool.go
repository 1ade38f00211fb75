package cpu

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// task is the body of one parallel region: run handles items [lo, hi) on worker w, whose
// scratch it may use until it returns.
type task interface {
	run(w *worker, lo, hi int)
}

// chunksPerWorker is how many chunks a region is cut into per thread, at most: more than one,
// so a thread slowed by other processes hands its remaining chunks to the others.
const chunksPerWorker = 4

// pool is the process's worker goroutines, started on first use. One parallel region runs on
// it at a time: the calling goroutine holds mu, publishes the region, wakes as many workers as
// there are chunks beyond its own, claims chunks itself and waits for the rest. Nothing in
// that path allocates, so an op's cost does not include the garbage collector.
type pool struct {
	mu      sync.Mutex // held by the goroutine running a region
	workers []*worker  // workers[0] is the scratch of the goroutine holding mu

	// The region in flight, written under mu before any worker is woken.
	body    task
	n, size int          // items and items per chunk
	chunks  int          // number of chunks
	next    atomic.Int64 // next chunk to claim
	busy    sync.WaitGroup

	slots map[any]any // reusable task structs by type, used under mu (see slotFor)
	sums  []float64   // sumBlocks' per-block results, used under mu
}

// sharedPool returns the process's pool, starting GOMAXPROCS−1 worker goroutines the first
// time (the caller is the last thread).
var sharedPool = sync.OnceValue(func() *pool {
	p := &pool{slots: map[any]any{}}
	p.workers = make([]*worker, runtime.GOMAXPROCS(0))
	for i := range p.workers {
		p.workers[i] = &worker{wake: make(chan struct{}, 1)}
		if i > 0 {
			go p.serve(p.workers[i])
		}
	}
	return p
})

// serve is a worker goroutine: each wake-up is one region to help with.
func (p *pool) serve(w *worker) {
	for range w.wake {
		p.claim(w)
		p.busy.Done()
	}
}

// claim runs chunks of the region in flight on w until none are left.
func (p *pool) claim(w *worker) {
	for {
		c := int(p.next.Add(1)) - 1
		if c >= p.chunks {
			return
		}
		lo := c * p.size
		clearVectorState()
		p.body.run(w, lo, min(lo+p.size, p.n))
	}
}

// threads is how many goroutines run a region: the pool's, fewer if GOMAXPROCS was lowered
// since it started.
func (p *pool) threads() int { return min(len(p.workers), runtime.GOMAXPROCS(0)) }

// acquire returns the shared pool locked for one region, or nil when another goroutine (or
// an enclosing region on this one) holds it.
func acquire() *pool {
	if p := sharedPool(); p.mu.TryLock() {
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

// region runs body over [0, n) in chunks of at least grain items; p is held, or nil to run
// everything on the calling goroutine with fresh scratch. A panic in the caller's chunks
// still waits for the workers before it propagates, so the pool stays consistent.
func (p *pool) region(n, grain int, body task) {
	if n <= 0 {
		return
	}
	if p == nil {
		body.run(&worker{}, 0, n)
		return
	}
	// At least grain items per chunk, at most chunksPerWorker chunks per thread.
	threads := p.threads()
	chunks := max(1, min(n/max(grain, 1), threads*chunksPerWorker))
	size := ceilDiv(n, chunks)
	p.body, p.n, p.size, p.chunks = body, n, size, ceilDiv(n, size)
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
