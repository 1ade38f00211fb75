package cpu

// parallel runs args.run over [0, n) in chunks of at least grain items on the shared pool
// (see pool). args is a small struct holding the kernel's arguments, passed by value and
// copied into a heap slot that is reused, so a call allocates nothing once each kernel has
// run once. When the pool is busy — a region started inside a region, or ops called from
// several goroutines at once — the call runs on the calling goroutine alone, allocating its
// slot and scratch.
func parallel[K any, P interface {
	*K
	task
}](n, grain int, args K) {
	p := acquire()
	defer p.release()
	slot := slotFor(p, args)
	defer zero(slot) // drop the references to tensors until the next call
	p.region(n, grain, P(slot))
}

// sumBlocks returns Σ_b args.part(b) over b in [0, blocks): the parts are computed in
// parallel and added in order of b, so the total does not depend on the thread count.
// Like parallel, it allocates nothing in steady state.
func sumBlocks[K any, P partPtr[K]](blocks int, args K) float64 {
	p := acquire()
	defer p.release()
	sums := p.blockSums(blocks)
	slot := slotFor(p, sumTask[K, P]{args, sums})
	defer zero(slot)
	p.region(blocks, 1, slot)
	total := 0.0
	for _, s := range sums {
		total += s
	}
	return total
}

// partPtr is the pointer type of a sumBlocks task: part returns one block's result.
type partPtr[K any] interface {
	*K
	part(w *worker, block int) float64
}

// sumTask is sumBlocks' region body: it stores each block's part in sums.
type sumTask[K any, P partPtr[K]] struct {
	args K
	sums []float64 // [blocks]
}

func (t *sumTask[K, P]) run(w *worker, lo, hi int) {
	for b := lo; b < hi; b++ {
		t.sums[b] = P(&t.args).part(w, b)
	}
}

// slotFor copies args into the held pool's reusable slot for type K, or into a new one when
// p is nil.
func slotFor[K any](p *pool, args K) *K {
	var slot *K
	if p == nil {
		slot = new(K)
	} else {
		key := any((*K)(nil)) // one key per type K, without reflection
		s, ok := p.slots[key]
		if !ok {
			s = new(K)
			p.slots[key] = s
		}
		slot = s.(*K)
	}
	*slot = args
	return slot
}

// blockSums returns a held pool's reusable buffer of n float64s, or a new one when p is nil.
func (p *pool) blockSums(n int) []float64 {
	if p == nil {
		return make([]float64, n)
	}
	p.sums = grow(p.sums, n)
	return p.sums
}

// zero sets *slot to K's zero value.
func zero[K any](slot *K) {
	var z K
	*slot = z
}
