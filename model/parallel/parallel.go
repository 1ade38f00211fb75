// Package parallel runs the independent iterations of a host-side loop on all cores: the
// float64 maths of the evaluation and of the sphere prior's fit. It imports nothing of ours.
package parallel

import (
	"runtime"
	"sync"
)

// For runs do(i) for every i in [0, n) on GOMAXPROCS goroutines, worker w taking
// i = w, w + workers, …, and returns when all are done.
func For(n int, do func(i int)) {
	workers := max(1, min(n, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				do(i)
			}
		}()
	}
	wg.Wait()
}
