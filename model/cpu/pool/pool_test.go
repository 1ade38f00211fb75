package pool

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countTask counts how often each item is visited and, when nested, starts a region of its
// own from inside the region.
type countTask struct {
	hits   []atomic.Int32 // [n]
	nested bool
}

func (t *countTask) Run(_ *Worker, lo, hi int) {
	for i := lo; i < hi; i++ {
		t.hits[i].Add(1)
	}
	if t.nested {
		inner := &countTask{hits: make([]atomic.Int32, hi-lo)}
		Run(hi-lo, 1, *inner)
		for i := range inner.hits {
			if inner.hits[i].Load() != 1 {
				panic(fmt.Sprintf("nested item %d visited %d times", i, inner.hits[i].Load()))
			}
		}
	}
}

// checkHits fails unless every item was visited exactly once.
func checkHits(t *testing.T, hits []atomic.Int32) {
	t.Helper()
	for i := range hits {
		if h := hits[i].Load(); h != 1 {
			t.Fatalf("item %d visited %d times", i, h)
		}
	}
}

// TestRunCoversEveryItemOnce runs regions of many sizes and grains, including a region
// started from inside a region (which must not deadlock: it runs on its goroutine alone).
func TestRunCoversEveryItemOnce(t *testing.T) {
	for _, c := range []struct {
		n, grain int
		nested   bool
	}{
		{0, 1, false}, {1, 1, false}, {2, 1, false}, {7, 3, false}, {100, 1, false},
		{1000, 64, false}, {1 << 16, 1 << 14, false}, {33, 0, false}, {64, 1, true},
	} {
		t.Run(fmt.Sprintf("n=%d/grain=%d/nested=%v", c.n, c.grain, c.nested), func(t *testing.T) {
			task := countTask{hits: make([]atomic.Int32, c.n), nested: c.nested}
			Run(c.n, c.grain, task)
			checkHits(t, task.hits)
		})
	}
}

// TestRunFromManyGoroutines runs regions from several goroutines at once: one holds
// the pool, the others run alone, and all finish with every item visited once.
func TestRunFromManyGoroutines(t *testing.T) {
	var wg sync.WaitGroup
	tasks := make([]countTask, 8)
	for i := range tasks {
		tasks[i].hits = make([]atomic.Int32, 5000)
		wg.Go(func() {
			for range 20 {
				for j := range tasks[i].hits {
					tasks[i].hits[j].Store(0)
				}
				Run(len(tasks[i].hits), 16, tasks[i])
			}
		})
	}
	wg.Wait()
	for i := range tasks {
		checkHits(t, tasks[i].hits)
	}
}

// panicTask panics in the chunks the calling goroutine runs (a panic in a worker goroutine
// ends the process, as in any goroutine). Its chunks take a while, so the caller gets some.
type panicTask struct{}

func (panicTask) Run(w *Worker, _, _ int) {
	time.Sleep(time.Millisecond)
	if w == shared().workers[0] {
		panic("the caller's chunk")
	}
}

// TestRunRecoversFromPanic checks that a panic in a region reaches the caller and that
// the pool runs the next region normally.
func TestRunRecoversFromPanic(t *testing.T) {
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic did not reach the caller")
			}
		}()
		Run(64, 1, panicTask{})
	}()
	task := countTask{hits: make([]atomic.Int32, 1000)}
	Run(1000, 1, task)
	checkHits(t, task.hits)
}

// squaresTask is a SumBlocks task: block b contributes b².
type squaresTask struct{}

func (squaresTask) Part(_ *Worker, b int) float64 { return float64(b * b) }

// TestSumBlocks checks SumBlocks against the closed form, for block counts below and above
// the number of chunks.
func TestSumBlocks(t *testing.T) {
	for _, n := range []int{0, 1, 3, 100, 10000} {
		want := float64((n - 1) * n * (2*n - 1) / 6)
		if got := SumBlocks(n, squaresTask{}); got != want {
			t.Errorf("n=%d: %g, want %g", n, got, want)
		}
	}
}
