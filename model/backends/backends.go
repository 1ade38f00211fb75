// Package backends chooses a compute backend by name for commands and pages: "webgpu",
// "cpu", or "auto" (WebGPU when an adapter exists, else the CPU). It imports the two
// backend packages and nothing else of ours.
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

// Open returns the backend called name. With "auto" it falls back to the CPU when WebGPU is
// unavailable and says so on log.
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
		return b, nil
	}
	return nil, fmt.Errorf("unknown backend %q (want %s)", name, Names)
}

// Describe is a one-line description of where b runs.
func Describe(b tensor.Backend) string {
	i := b.Info()
	return fmt.Sprintf("%s on %s (%s, %s)", i.Backend, i.Adapter, i.Type, i.API)
}
