package pool

// Run runs args.Run over [0, n) in chunks of at least grain items on the shared pool.
// args is a small struct holding the kernel's arguments, passed by value and copied into a
// heap slot that is reused, so a call allocates nothing once each kernel has run once. When
// the pool is busy — a loop started inside a loop, or ops called from several goroutines at
// once — the call runs on the calling goroutine alone, allocating its slot and scratch.
func Run[K any, P interface {
	*K
	Task
}](n, grain int, args K) {
	p := acquire()
	defer p.release()
	slot := slotFor(p, args)
	defer zero(slot) // drop the references to tensors until the next call
	p.loop(n, grain, P(slot))
}

// SumBlocks returns Σ_b args.Part(b) over b in [0, blocks): the parts are computed in
// parallel and added in order of b, so the total does not depend on the thread count.
// Like Run, it allocates nothing in steady state.
func SumBlocks[K any, P Part[K]](blocks int, args K) float64 {
	p := acquire()
	defer p.release()
	sums := p.blockSums(blocks)
	slot := slotFor(p, sumTask[K, P]{args, sums})
	defer zero(slot)
	p.loop(blocks, 1, slot)
	total := 0.0
	for _, s := range sums {
		total += s
	}
	return total
}

// Part is the pointer type of a SumBlocks task: Part returns one block's result.
type Part[K any] interface {
	*K
	Part(w *Worker, block int) float64
}

// sumTask is SumBlocks' loop body: it stores each block's part in sums.
type sumTask[K any, P Part[K]] struct {
	args K
	sums []float64 // [blocks]
}

func (t *sumTask[K, P]) Run(w *Worker, lo, hi int) {
	for b := lo; b < hi; b++ {
		t.sums[b] = P(&t.args).Part(w, b)
	}
}

// slotFor copies args into the held pool's reusable slot for type K, or into a new one when
// p is nil.
func slotFor[K any](p *pool, args K) *K {
	var slot *K
	if p == nil {
		slot = new(K)
	} else {
		slot = slotIn[K](p.slots)
	}
	*slot = args
	return slot
}

// slotIn returns the slot of type K in slots, adding it the first time. Keys are one nil
// pointer per type K, without reflection.
func slotIn[K any](slots map[any]any) *K {
	key := any((*K)(nil))
	s, ok := slots[key]
	if !ok {
		s = new(K)
		slots[key] = s
	}
	return s.(*K)
}

// blockSums returns a held pool's reusable buffer of n float64s, or a new one when p is nil.
func (p *pool) blockSums(n int) []float64 {
	if p == nil {
		return make([]float64, n)
	}
	p.sums = Grow(p.sums, n)
	return p.sums
}

// zero sets *slot to K's zero value.
func zero[K any](slot *K) {
	var z K
	*slot = z
}
