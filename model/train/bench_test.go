package train

import (
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/model/webgpu"
)

// BenchmarkSmallStep measures a joint training step of the small config at batch 16 in
// images/s, on the CPU backend's matmul paths and on WebGPU when an adapter exists.
func BenchmarkSmallStep(b *testing.B) {
	blocked, err := cpu.NewWith(cpu.BlockedMatMul)
	if err != nil {
		b.Fatal(err)
	}
	backends := map[string]tensor.Backend{"cpu-auto": cpu.New(), "cpu-blocked": blocked}
	// Mesa's lavapipe (a CPU adapter) crashes in its queue thread on the small model's step,
	// so WebGPU is measured only on real GPUs.
	if g, err := webgpu.New(); err == nil && g.Info().Type != "cpu" {
		b.Cleanup(g.Close)
		backends["webgpu"] = g
	} else if err == nil {
		g.Close()
	}
	for name, be := range backends {
		b.Run(name, func(b *testing.B) {
			cfg, err := config.Preset("small")
			if err != nil {
				b.Fatal(err)
			}
			m, err := gen.New(be, cfg, 1)
			if err != nil {
				b.Fatal(err)
			}
			opt := DefaultOptions(1 << 20)
			opt.Batch, opt.AEWarmup = 16, 0
			tr, err := New(be, m, synthetic(32, cfg.Image), opt)
			if err != nil {
				b.Fatal(err)
			}
			tr.TrainStep()
			if _, err := tr.Report(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				tr.TrainStep()
			}
			if _, err := tr.Report(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N*opt.Batch)/b.Elapsed().Seconds(), "images/s")
		})
	}
}
