package perf_test

import (
	"testing"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/model/perf"
	"flowsphere/model/tensor"
	"flowsphere/model/webgpu"
)

// peersFor returns the CPU peers and, when an adapter exists, WebGPU.
func peersFor(b *testing.B) []perf.Peer {
	peers, err := perf.CPUPeers(false)
	if err != nil {
		b.Logf("without BLAS: %v", err)
	}
	if g, err := webgpu.New(); err == nil {
		b.Cleanup(g.Close)
		peers = append(peers, perf.BackendPeer("webgpu", g))
	}
	return peers
}

// BenchmarkStep measures a joint training step of the small config at batch 32 on every
// backend peer, in images/s and model GFLOP/s (perf.FLOPCounter), with the ratios. The sgemm
// sub-benchmark measures the machine's sgemm on OpenBLAS first (perf.PeakShape), and the
// BLAS step then reports its utilisation: its model GFLOP/s as a share of that rate.
func BenchmarkStep(b *testing.B) {
	peers := peersFor(b)
	sgemm := 0.0
	for _, p := range peers {
		if p.Name == "blas" {
			b.Run("sgemm", func(b *testing.B) { sgemm = run(b, p.MatMul(perf.PeakShape())) })
		}
	}
	gflops := map[string]float64{}
	for _, p := range peers {
		if p.Step == nil {
			continue
		}
		b.Run(perf.SmallStep.Name()+"/"+p.Name, func(b *testing.B) {
			w, err := p.Step(perf.SmallStep)
			if err != nil {
				b.Skip(err)
			}
			gflops[p.Name] = run(b, w)
			b.ReportMetric(float64(w.Images*b.N)/b.Elapsed().Seconds(), "images/s")
			for _, r := range perf.RatioPairs {
				if den := gflops[r[1]]; r[0] == p.Name && den > 0 {
					b.ReportMetric(gflops[p.Name]/den, "vs-"+r[1])
				}
			}
			if p.Name == "blas" && sgemm > 0 {
				b.ReportMetric(gflops[p.Name]/sgemm, "of-sgemm")
			}
		})
	}
}

// run reports GFLOP/s of w, timed as perf.Measure does over b.N calls, and returns them.
func run(b *testing.B, w *perf.Workload) float64 {
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
	gflops := w.FLOPs * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(gflops, "GFLOP/s")
	return gflops
}

// runPeers runs each peer that has a workload (prepare returns nil for none) as a
// sub-benchmark reporting GFLOP/s and, for each perf.RatioPairs entry whose denominator ran
// before it (peers come baseline first), the ratio as "vs-<denominator>".
func runPeers(b *testing.B, peers []perf.Peer, prepare func(perf.Peer) func() *perf.Workload) {
	gflops := map[string]float64{}
	for _, p := range peers {
		w := prepare(p)
		if w == nil {
			continue
		}
		b.Run(p.Name, func(b *testing.B) {
			gflops[p.Name] = run(b, w())
			for _, r := range perf.RatioPairs {
				if den := gflops[r[1]]; r[0] == p.Name && den > 0 {
					b.ReportMetric(gflops[p.Name]/den, "vs-"+r[1])
				}
			}
		})
	}
}

// BenchmarkMatMul covers the three training layouts at the model's shapes on every peer —
// gonum's Sgemm, the blocked pure-Go kernel, OpenBLAS, WebGPU — with the ratios.
func BenchmarkMatMul(b *testing.B) {
	peers := peersFor(b)
	for _, s := range perf.MatMulShapes() {
		b.Run(s.Name(), func(b *testing.B) {
			runPeers(b, peers, func(p perf.Peer) func() *perf.Workload {
				if p.MatMul == nil {
					return nil
				}
				return func() *perf.Workload { return p.MatMul(s) }
			})
		})
	}
}

// BenchmarkAttention covers attention forward and backward at T = 64 and 192 on the CPU
// backend and WebGPU, with the ratio.
func BenchmarkAttention(b *testing.B) {
	peers := peersFor(b)
	for _, s := range perf.AttentionShapes() {
		b.Run(s.Name(), func(b *testing.B) {
			runPeers(b, peers, func(p perf.Peer) func() *perf.Workload {
				if p.Attention == nil {
					return nil
				}
				return func() *perf.Workload { return p.Attention(s) }
			})
		})
	}
}

// TestMeasure checks the timer on a small workload, on a backend and on gonum: a positive,
// finite time per call.
func TestMeasure(t *testing.T) {
	s := perf.MatMulShape{Layout: "xwt", Rows: 8, E: 4, Dims: tensor.MatMulDims{M: 8, N: 4, K: 4, TransB: true}}
	for _, w := range []*perf.Workload{perf.MatMul(cpu.New(), s), perf.GonumMatMul(s)} {
		sec, err := perf.Measure(w, time.Millisecond)
		w.Free()
		if err != nil || !(sec > 0) {
			t.Fatalf("Measure = %v, %v", sec, err)
		}
	}
}

// TestRatios checks that ratios appear only where both peers were measured.
func TestRatios(t *testing.T) {
	got := perf.Ratios(map[string]float64{"go": 6, "gonum": 3, "ref": 9})
	if len(got) != 1 || got["go/gonum"] != 2 {
		t.Fatalf("Ratios = %v, want only go/gonum = 2", got)
	}
}
