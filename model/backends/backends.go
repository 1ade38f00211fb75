// Package backends chooses a compute backend by name for commands and pages: "webgpu",
// "cpu", or "auto" (WebGPU on a GPU adapter, else the CPU). It imports model/cpu,
// model/webgpu and model/tensor.
package backends

import (
	"fmt"
	"io"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/webgpu"
)

// Names lists the accepted backend names, for flag help.
const Names = "auto|webgpu|cpu"

// Open returns the backend called name. With "auto" it takes WebGPU on a GPU and falls back
// to the CPU, saying why on log, when there is no adapter or the adapter is itself a CPU
// rasteriser (Software: Mesa's lavapipe): there the CPU backend's OpenBLAS matmuls run at
// 100–260 GFLOP/s against lavapipe's 1–3 (tools/bench). The browser, whose CPU path has no
// OpenBLAS, times both instead (package wasm).
func Open(name string, log io.Writer) (tensor.Backend, error) {
	switch name {
	case "cpu":
		return cpu.New(), nil
	case "webgpu":
		b, err := webgpu.New()
		if err != nil {
			return nil, err
		}
		return b, nil
	case "auto", "":
		b, err := webgpu.New()
		if err != nil {
			fmt.Fprintf(log, "no WebGPU adapter (%v); using the CPU backend\n", err)
			return cpu.New(), nil
		}
		if info := b.Info(); Software(info) {
			b.Close()
			fmt.Fprintf(log, "the WebGPU adapter %s runs on the CPU; using the faster CPU backend (-backend webgpu forces it)\n", info.Adapter)
			return cpu.New(), nil
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown backend %q (want %s)", name, Names)
}

// Describe is a one-line description of where b runs.
func Describe(b tensor.Backend) string {
	i := b.Info()
	return fmt.Sprintf("%s on %s (%s, %s)", i.Backend, i.Adapter, i.Type, i.API)
}
