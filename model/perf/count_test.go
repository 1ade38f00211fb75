package perf_test

import (
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/perf"
	"flowsphere/model/tensor"
)

// TestFLOPCounter checks the counts of a batched matmul and of attention forward and
// backward, and that the calls still compute.
func TestFLOPCounter(t *testing.T) {
	c := &perf.FLOPCounter{Backend: cpu.New()}
	a, b, out := c.New(2, 3, 4), c.New(2, 4, 5), c.New(2, 3, 5)
	c.Upload(a, perf.Random(24, 1))
	c.Upload(b, perf.Random(40, 2))
	c.MatMul(out, a, b, nil, tensor.MatMulDims{M: 3, N: 5, K: 4, Batch: 2, StrideA: 12, StrideB: 20, StrideOut: 15})
	if want := 2.0 * 3 * 5 * 4 * 2; c.FLOPs != want {
		t.Fatalf("matmul counted %g FLOPs, want %g", c.FLOPs, want)
	}
	if got, err := c.Download(out); err != nil || got[0] == 0 {
		t.Fatalf("matmul did not run: %v, %v", got, err)
	}

	const batch, tokens, heads, dh = 2, 6, 2, 4
	n := batch * tokens * heads * dh
	q, k, v, o, dq, dk, dv, dOut := c.New(n), c.New(n), c.New(n), c.New(n), c.New(n), c.New(n), c.New(n), c.New(n)
	lse, delta := c.New(batch*heads*tokens), c.New(batch*heads*tokens)
	for i, x := range []*tensor.Tensor{q, k, v, dOut} {
		c.Upload(x, perf.Random(n, uint64(i+3)))
	}
	c.FLOPs = 0
	c.Attention(o, lse, q, k, v, batch, tokens, heads, dh, 0.5)
	fwd := 4.0 * batch * heads * tokens * tokens * dh
	if c.FLOPs != fwd {
		t.Fatalf("attention counted %g FLOPs, want %g", c.FLOPs, fwd)
	}
	c.AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, o, lse, batch, tokens, heads, dh, 0.5)
	if want := fwd * 3.5; c.FLOPs != want {
		t.Fatalf("attention forward and backward counted %g FLOPs, want %g", c.FLOPs, want)
	}
}

// TestStep prepares and runs a tiny training step: its counted FLOPs are positive and it
// reports its batch as images.
func TestStep(t *testing.T) {
	w, err := perf.Step(cpu.New(), perf.StepShape{Config: "tiny", Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Free()
	w.Run()
	if err := w.Wait(); err != nil {
		t.Fatal(err)
	}
	if !(w.FLOPs > 0) || w.Images != 4 {
		t.Fatalf("FLOPs %g, images %d", w.FLOPs, w.Images)
	}
	if _, err := perf.Step(cpu.New(), perf.StepShape{Config: "huge", Batch: 4}); err == nil {
		t.Fatal("unknown config accepted")
	}
}
