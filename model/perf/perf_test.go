package perf_test

import (
	"testing"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/model/perf"
	"flowsphere/model/tensor"
	"flowsphere/model/webgpu"
)

// backendsFor returns the CPU backend and, when an adapter exists, WebGPU.
func backendsFor(b *testing.B) map[string]tensor.Backend {
	out := map[string]tensor.Backend{"cpu": cpu.New()}
	if g, err := webgpu.New(); err == nil {
		b.Cleanup(g.Close)
		out["webgpu"] = g
	}
	return out
}

// run reports GFLOP/s of w, timed as perf.Measure does over b.N calls.
func run(b *testing.B, w *perf.Workload) {
	defer w.Free()
	w.Run()
	if err := w.Wait(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		w.Run()
	}
	if err := w.Wait(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(w.FLOPs*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkMatMul covers the three training layouts at the model's shapes.
func BenchmarkMatMul(b *testing.B) {
	for name, be := range backendsFor(b) {
		for _, s := range perf.MatMulShapes() {
			b.Run(name+"/"+s.Name(), func(b *testing.B) { run(b, perf.MatMul(be, s)) })
		}
	}
}

// BenchmarkAttention covers attention forward and backward at T = 64 and 192.
func BenchmarkAttention(b *testing.B) {
	for name, be := range backendsFor(b) {
		for _, s := range perf.AttentionShapes() {
			b.Run(name+"/"+s.Name(), func(b *testing.B) { run(b, perf.Attention(be, s)) })
		}
	}
}

// TestMeasure checks the timer on a small workload: a positive, finite time per call.
func TestMeasure(t *testing.T) {
	s := perf.MatMulShape{Layout: "xwt", Rows: 8, E: 4, Dims: tensor.MatMulDims{M: 8, N: 4, K: 4, TransB: true}}
	w := perf.MatMul(cpu.New(), s)
	defer w.Free()
	sec, err := perf.Measure(w, time.Millisecond)
	if err != nil || !(sec > 0) {
		t.Fatalf("Measure = %v, %v", sec, err)
	}
}
