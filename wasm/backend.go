//go:build js

package main

import (
	"errors"
	"fmt"
	"strings"
	"syscall/js"
	"time"

	"flowsphere/model/backends"
	"flowsphere/model/cpu"
	"flowsphere/model/perf"
	"flowsphere/model/tensor"
	"flowsphere/model/webgpu"
	"flowsphere/ui"
)

// errNoWebGPU says that the browser has no navigator.gpu at all.
var errNoWebGPU = errors.New("this browser has no WebGPU")

// openWebGPU opens the browser's WebGPU adapter through the library (site/gpu.js shims the
// device it creates) and returns the adapter's description from the shim, since the
// library's browser binding reports none.
func openWebGPU() (b *webgpu.Backend, adapter string, err error) {
	// The binding dereferences a nil instance when navigator.gpu is missing: ask first.
	if !js.Global().Get("navigator").Get("gpu").Truthy() {
		return nil, "", errNoWebGPU
	}
	defer func() {
		if p := recover(); p != nil {
			b, err = nil, fmt.Errorf("WebGPU failed to start: %v", p)
		}
	}()
	b, err = webgpu.New()
	if err != nil {
		return nil, "", err
	}
	return b, gpuShim().Get("adapter").String(), nil
}

// gpuShim is window.flowsphereGPU, site/gpu.js's record of the device.
func gpuShim() js.Value { return js.Global().Get("flowsphereGPU") }

// reopenWebGPU opens a new WebGPU device after the app's was lost (ui.Options.Reopen).
func reopenWebGPU() (tensor.Backend, error) {
	b, _, err := openWebGPU()
	if err != nil {
		return nil, err
	}
	return b, nil
}

// backend is the backend the app runs on and how it was chosen.
type backend struct {
	tensor.Backend
	note   string // short, for the app's status line: "WebGPU: google swiftshader"
	notice string // a plain sentence for the page when there is no GPU, else ""
	onGPU  bool   // training is offered without a warning
}

// openBackend opens the backend ?backend= asks for: "cpu", "webgpu", or by default WebGPU,
// unless its adapter runs on the CPU (SwiftShader, llvmpipe, a fallback adapter), where the
// faster of the two is kept (pickFaster). Without WebGPU it falls back to the CPU and says
// why.
func openBackend(asked string) backend {
	if asked == "cpu" {
		return backend{Backend: cpu.New(), note: "as ?backend=cpu asks"}
	}
	gpu, adapter, err := openWebGPU()
	if err != nil {
		why := err.Error()
		if errors.Is(err, webgpu.ErrNoAdapter) {
			why = "WebGPU offers no adapter here: it may be turned off, or this GPU not supported"
		}
		return backend{
			Backend: cpu.New(),
			note:    "no WebGPU",
			notice: why + ", so flowsphere runs on the CPU: images take longer and training is very slow. " +
				"Chrome or Edge 113+ and Safari 26+ use your GPU through WebGPU.",
		}
	}
	on := backend{Backend: gpu, note: "WebGPU: " + adapter, onGPU: true}
	software := backends.Software(tensor.DeviceInfo{Adapter: adapter}) || gpuShim().Get("fallback").Truthy()
	if asked == "webgpu" || !software {
		return on
	}
	return pickFaster(on, adapter)
}

// pickFaster times perf.AppProbes on the CPU and on the software adapter's WebGPU, cheapest
// first, and keeps WebGPU only when it wins every one, saying why in the note. Each probe
// runs on the CPU first: it is quick there, and it sets WebGPU's time limit (gpuLimit).
func pickFaster(gpu backend, adapter string) backend {
	setStatus(ui.StateLoading, fmt.Sprintf("loading: timing the CPU and WebGPU on %s (a software adapter) to use the faster", adapter))
	c := cpu.New()
	var won []string
	for _, p := range perf.AppProbes {
		onCPU, err := perf.Probe(c, p)
		if err != nil { // not expected of the CPU; WebGPU, untimed, it is
			c.Close()
			return gpu
		}
		onGPU, err := probeWithin(gpu.Backend, p, gpuLimit(onCPU))
		if err == nil && onGPU < onCPU {
			won = append(won, fmt.Sprintf("%s %s against %s", p.Name, seconds(onGPU), seconds(onCPU)))
			continue
		}
		if !errors.Is(err, errProbeTimeout) { // probeWithin closes a device it gave up on
			gpu.Close()
		}
		why := fmt.Sprintf("the %s probe took %s against %s", p.Name, seconds(onCPU), seconds(onGPU))
		if err != nil {
			why = fmt.Sprintf("the %s probe took %s; on WebGPU %v", p.Name, seconds(onCPU), err)
		}
		return backend{Backend: c, note: fmt.Sprintf("faster here than WebGPU on %s: %s; ?backend=webgpu uses WebGPU", adapter, why)}
	}
	c.Close()
	gpu.note += fmt.Sprintf(", faster here than the CPU (probes: %s; ?backend=cpu uses the CPU)", strings.Join(won, ", "))
	return gpu
}

// gpuLimit is how long WebGPU on a software adapter may take for the probe, whose first
// call compiles its kernel: 3 s plus twice the CPU's time. One that needs longer is taken
// for the slower without waiting it out (on SwiftShader, with two busy cores, compiling
// the matmul kernel took about 6 s, and the products ran at a third of the CPU's speed).
func gpuLimit(onCPU time.Duration) time.Duration { return 3*time.Second + 2*onCPU }

// errProbeTimeout says that WebGPU's probe ran out of time.
var errProbeTimeout = errors.New("the probe had not finished")

// probeWithin times the probe on b, giving up after limit with errProbeTimeout. Then it
// destroys b's device, so that the work it still holds stops taking the CPU's cores; the
// probe, waiting on a readback (Go in WebAssembly switches goroutines only at such waits),
// fails, and b is closed once it has.
func probeWithin(b tensor.Backend, p perf.ProbeShape, limit time.Duration) (time.Duration, error) {
	type result struct {
		d   time.Duration
		err error
	}
	done := make(chan result, 1)
	go func() {
		d, err := perf.Probe(b, p)
		done <- result{d, err}
	}()
	select {
	case r := <-done:
		return r.d, r.err
	case <-time.After(limit):
		gpuShim().Get("device").Call("destroy")
		go func() {
			<-done
			b.Close()
		}()
		return 0, fmt.Errorf("%w after %s", errProbeTimeout, seconds(limit))
	}
}

// seconds formats a probe's time.
func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
