package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// Memory test sizes: steps of the tiny model fine-tuned, how often the memory is read, and
// the step from which the Go heap is held to its size then. Until then it grows by its
// warm-up: the runtime's bind group cache fills (1,741 groups at step 5, 1,931 from step 30
// on, natively) and the first previews are drawn. Measured on SwiftShader: 468 buffers of
// 11.0 MB throughout, the heap between 3,821 and 3,900 kB from step 5 to 200.
const (
	memorySteps = 200
	memoryEvery = 25
	heapFrom    = 50
)

// memory is what window.flowsphere.memory() reports: the Go heap after a collection and
// the heap the Go runtime holds, in bytes.
type memory struct {
	HeapLive float64 `json:"heap_live"`
	HeapSys  float64 `json:"heap_sys"`
}

// TestMemoryFlat fine-tunes the tiny model for memorySteps steps and reads the memory
// every memoryEvery steps through the automation hook: the runtime's live GPU buffers and
// their bytes stay what they were after the first report, and the Go heap after a
// collection stays within 10 % of its size at step heapFrom. A leak of one buffer per step,
// or of a kilobyte a step, would exceed either.
func TestMemoryFlat(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	tb.openWithImages()
	eval[any](tb, fmt.Sprintf("flowsphere.train(%d)", memorySteps))

	var first, from appState
	var base memory
	var series []string
	defer func() { t.Logf("memory over %d steps:\n%s", memorySteps, strings.Join(series, "\n")) }()
	for at := 5; at <= memorySteps; at = (at/memoryEvery + 1) * memoryEvery {
		st := tb.waitState(fmt.Sprintf("step %d", at), stepTimeout, func(s appState) bool { return s.Step >= at || s.State == "error" })
		if st.State == "error" {
			t.Fatalf("training stopped at step %d: %s", st.Step, st.Error)
		}
		m := eval[memory](tb, "flowsphere.memory()")
		series = append(series, fmt.Sprintf("step %d: %d buffers, %d bytes, heap %.0f kB live, %.0f kB held", st.Step, st.Buffers, st.BufferBytes, m.HeapLive/1e3, m.HeapSys/1e3))
		if first.Step == 0 {
			first = st
		}
		if st.Buffers != first.Buffers || st.BufferBytes != first.BufferBytes {
			t.Fatalf("step %d: %d GPU buffers of %d bytes; at step %d %d of %d", st.Step, st.Buffers, st.BufferBytes, first.Step, first.Buffers, first.BufferBytes)
		}
		if at < heapFrom {
			continue
		}
		if from.Step == 0 {
			from, base = st, m
		}
		if m.HeapLive > 1.1*base.HeapLive {
			t.Fatalf("step %d: the Go heap holds %.0f kB, more than 10 %% over its %.0f kB at step %d", st.Step, m.HeapLive/1e3, base.HeapLive/1e3, from.Step)
		}
	}
}
