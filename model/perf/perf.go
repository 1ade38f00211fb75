// Package perf defines the benchmark workloads — the matmul training layouts and attention at
// the model's shapes, and a whole training step — and the peers that run them (the CPU
// backend's matmul paths, gonum's Sgemm, any backend such as WebGPU), so `go test -bench` and
// `tools/bench` measure the same things. Timing waits for the device: every measurement of a
// backend ends with a one-element readback.
//
// It imports model/config, model/cpu, model/data, model/gen, model/tensor, model/train and
// weights.
package perf

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"flowsphere/model/tensor"
)

// MatMulShape is one matmul workload: out = op(A)·op(B) in one of the training layouts.
type MatMulShape struct {
	Layout  string // "xwt" (X·Wᵀ, forward), "dyw" (dY·W, input gradient), "dytx" (dYᵀ·X, weight gradient)
	Rows, E int    // token rows and model width
	Dims    tensor.MatMulDims
}

// Name is the workload's label, e.g. "xwt/2048x128", "xwt/8192x512x2" for a batch of 2, or
// "f16/xwt/2048x128" for f16 operands (the prefix keeps -only's match of the float32 row
// from selecting it too).
func (s MatMulShape) Name() string {
	name := fmt.Sprintf("%s/%dx%d", s.Layout, s.Rows, s.E)
	if s.items() > 1 {
		name += fmt.Sprintf("x%d", s.items())
	}
	if s.Dims.F16 {
		name = "f16/" + name
	}
	return name
}

// items is the number of products: Dims.Batch, at least 1.
func (s MatMulShape) items() int { return max(s.Dims.Batch, 1) }

// FLOPs counts 2·M·N·K per product.
func (s MatMulShape) FLOPs() float64 {
	return 2 * float64(s.Dims.M) * float64(s.Dims.N) * float64(s.Dims.K) * float64(s.items())
}

// ASize and BSize are the element counts of the operands, every product's.
func (s MatMulShape) ASize() int { return s.Dims.M * s.Dims.K * s.items() }

// BSize is the element count of the second operand.
func (s MatMulShape) BSize() int { return s.Dims.K * s.Dims.N * s.items() }

// OutSize is the element count of the output.
func (s MatMulShape) OutSize() int { return s.Dims.M * s.Dims.N * s.items() }

// MatMulShapes are the layouts at N ∈ {2048, 8192} rows and E ∈ {128, 256, 512}: a square
// E×E weight, as in the attention projections.
func MatMulShapes() []MatMulShape {
	var out []MatMulShape
	for _, rows := range []int{2048, 8192} {
		for _, e := range []int{128, 256, 512} {
			out = append(out,
				MatMulShape{"xwt", rows, e, tensor.MatMulDims{M: rows, N: e, K: e, TransB: true}},
				MatMulShape{"dyw", rows, e, tensor.MatMulDims{M: rows, N: e, K: e}},
				MatMulShape{"dytx", rows, e, tensor.MatMulDims{M: e, N: e, K: rows, TransA: true}},
			)
		}
	}
	return out
}

// MatMulF16Shapes are the layouts at the model's 2048 rows and E = 128 with f16 operands
// (tensor.MatMulDims.F16), to compare with their float32 rows in the same run.
func MatMulF16Shapes() []MatMulShape {
	var out []MatMulShape
	for _, s := range MatMulShapes()[:3] {
		s.Dims.F16 = true
		out = append(out, s)
	}
	return out
}

// PeakShape is the machine's sgemm throughput, the denominator of a training step's
// utilisation: the largest training layout, X·Wᵀ at 8192×512, where sgemm runs closest to
// its peak, once per thread at the same time (a batch of GOMAXPROCS products). On the BLAS
// path each product is one single-threaded sgemm call on its own core: every core busy, no
// threading overhead, so no split of one product across the cores can beat it.
func PeakShape() MatMulShape {
	const m, e = 8192, 512
	n := runtime.GOMAXPROCS(0)
	return MatMulShape{"xwt", m, e, tensor.MatMulDims{M: m, N: e, K: e, TransB: true,
		Batch: n, StrideA: m * e, StrideB: e * e, StrideOut: m * e}}
}

// AttentionShape is one attention workload at batch 32, 4 heads of 32.
type AttentionShape struct {
	Batch, Tokens, Heads, HeadDim int
	Backward                      bool
}

// Name is the workload's label, e.g. "forward/T64".
func (s AttentionShape) Name() string {
	pass := "forward"
	if s.Backward {
		pass = "backward"
	}
	return fmt.Sprintf("%s/T%d", pass, s.Tokens)
}

// FLOPs counts the two T×T×dh products of the forward (4·B·H·T²·dh); the backward does five
// such products (recomputing P), counted as 2.5× the forward.
func (s AttentionShape) FLOPs() float64 {
	f := 4 * float64(s.Batch*s.Heads) * float64(s.Tokens*s.Tokens) * float64(s.HeadDim)
	if s.Backward {
		f *= 2.5
	}
	return f
}

// AttentionShapes are forward and backward at T ∈ {64, 192}, batch 32, 4 heads of 32.
func AttentionShapes() []AttentionShape {
	var out []AttentionShape
	for _, t := range []int{64, 192} {
		for _, bwd := range []bool{false, true} {
			out = append(out, AttentionShape{Batch: 32, Tokens: t, Heads: 4, HeadDim: 32, Backward: bwd})
		}
	}
	return out
}

// Random returns n seeded Gaussian values, for benchmark operands.
func Random(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 7))
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

// Workload is a prepared op, on a backend or (gonum) on plain slices: Run records one call;
// Free releases its tensors.
type Workload struct {
	Run    func()
	Free   func()
	FLOPs  float64
	Images int // images per call, for training steps and generations; 0 otherwise
	// Work is one call's dispatches, submissions and readbacks on a backend that counts them
	// (tensor.WorkCounter), for training steps and generations; zero otherwise.
	Work tensor.WorkCounts
	sync *tensor.Tensor
	b    tensor.Backend // nil when Run does its work before returning
}

// countWork runs w once more, then flushes, and keeps that call's work in w.Work when the
// backend counts its work. The flush submits what the call recorded without reading
// anything back, so a call that reads nothing back counts none.
func (w *Workload) countWork() error {
	wc, ok := w.b.(tensor.WorkCounter)
	if !ok {
		return nil
	}
	before := wc.WorkCounts()
	w.Run()
	if err := w.b.Flush(); err != nil {
		return err
	}
	w.Work = wc.WorkCounts().Sub(before)
	return nil
}

// Wait blocks until the backend has finished all recorded work.
func (w *Workload) Wait() error {
	if w.b == nil {
		return nil
	}
	_, err := w.b.Download(w.sync)
	return err
}

// newWorkload allocates the tensors of shapes on b with random contents.
func newWorkload(b tensor.Backend, flops float64, shapes ...[]int) (*Workload, []*tensor.Tensor) {
	var ts []*tensor.Tensor
	for i, s := range shapes {
		t := b.New(s...)
		b.Upload(t, Random(t.Len(), uint64(i+1)))
		ts = append(ts, t)
	}
	w := &Workload{FLOPs: flops, b: b, sync: b.New(1)}
	w.Free = func() {
		for _, t := range ts {
			b.Free(t)
		}
		b.Free(w.sync)
	}
	return w, ts
}

// MatMul prepares s on b.
func MatMul(b tensor.Backend, s MatMulShape) *Workload {
	d := s.Dims
	w, ts := newWorkload(b, s.FLOPs(), []int{s.OutSize()}, []int{s.ASize()}, []int{s.BSize()})
	w.Run = func() { b.MatMul(ts[0], ts[1], ts[2], nil, d) }
	return w
}

// Attention prepares s on b (the backward reuses one forward's outputs).
func Attention(b tensor.Backend, s AttentionShape) *Workload {
	n := s.Batch * s.Tokens * s.Heads * s.HeadDim
	lse := s.Batch * s.Heads * s.Tokens
	w, ts := newWorkload(b, s.FLOPs(), []int{n}, []int{lse}, []int{n}, []int{n}, []int{n},
		[]int{n}, []int{n}, []int{n}, []int{lse}, []int{n})
	out, l, q, k, v, dq, dk, dv, delta, dOut := ts[0], ts[1], ts[2], ts[3], ts[4], ts[5], ts[6], ts[7], ts[8], ts[9]
	scale := float32(1 / math.Sqrt(float64(s.HeadDim)))
	fwd := func() { b.Attention(out, l, q, k, v, s.Batch, s.Tokens, s.Heads, s.HeadDim, scale) }
	w.Run = fwd
	if s.Backward {
		fwd()
		w.Run = func() {
			b.AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, out, l, s.Batch, s.Tokens, s.Heads, s.HeadDim, scale)
		}
	}
	return w
}

// Measure runs w once to warm up, then repeatedly until at least minTime has passed (and at
// least once), waiting for the device after each batch of calls. It returns seconds per call.
func Measure(w *Workload, minTime time.Duration) (float64, error) {
	w.Run()
	if err := w.Wait(); err != nil {
		return 0, err
	}
	calls, start := 0, time.Now()
	for batch := 1; ; batch *= 2 {
		for range batch {
			w.Run()
		}
		if err := w.Wait(); err != nil {
			return 0, err
		}
		calls += batch
		if time.Since(start) >= minTime {
			return time.Since(start).Seconds() / float64(calls), nil
		}
	}
}
