package perf

import (
	"time"

	"flowsphere/model/tensor"
)

// ProbeShape is one kind of work Probe times: Calls calls of one op, recorded together and
// read back once, after an untimed first call that compiles its kernel on a device backend.
type ProbeShape struct {
	Name    string
	Calls   int
	prepare func(tensor.Backend) *Workload
}

// gridRows is the token rows of a 16-image grid of the small model (64 tokens an image),
// and gridWidth its width: the size of the activations a generation's passes work on.
const gridRows, gridWidth = 16 * 64, 128

// AppProbes are the app's probes, cheapest first. Axpby over a grid's activations is a
// dispatch and a pass over memory with almost nothing to compute: it shows what each of
// the hundreds of dispatches of a generation's pass costs a device. X·Wᵀ over the same rows
// is the product the passes spend their arithmetic in; its kernel takes seconds to compile
// on a software adapter, which is why it comes second.
var AppProbes = []ProbeShape{
	{Name: "axpby", Calls: 16, prepare: func(b tensor.Backend) *Workload { return Axpby(b, gridRows*gridWidth) }},
	{Name: "matmul", Calls: 8, prepare: func(b tensor.Backend) *Workload {
		return MatMul(b, MatMulShape{"xwt", gridRows, gridWidth, tensor.MatMulDims{M: gridRows, N: gridWidth, K: gridWidth, TransB: true}})
	}},
}

// Probe times s on b.
func Probe(b tensor.Backend, s ProbeShape) (time.Duration, error) {
	w := s.prepare(b)
	defer w.Free()
	w.Run()
	if err := w.Wait(); err != nil {
		return 0, err
	}
	start := time.Now()
	for range s.Calls {
		w.Run()
	}
	err := w.Wait()
	return time.Since(start), err
}

// Axpby prepares y ← x + y over n elements on b (2n FLOPs).
func Axpby(b tensor.Backend, n int) *Workload {
	w, ts := newWorkload(b, 2*float64(n), []int{n}, []int{n})
	w.Run = func() { b.Axpby(ts[0], ts[1], 1, 1) }
	return w
}
