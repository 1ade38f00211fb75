//go:build js

package main

import (
	"errors"
	"fmt"
	"syscall/js"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/webgpu"
	"flowsphere/shaders"
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
	return b, js.Global().Get("flowsphereGPU").Get("adapter").String(), nil
}

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

// openBackend opens WebGPU, or falls back to the CPU backend and says why.
func openBackend(forced string) backend {
	if forced == "cpu" {
		return backend{Backend: cpu.New(), note: "as ?backend=cpu asks"}
	}
	gpu, adapter, err := openWebGPU()
	if err == nil {
		return backend{Backend: gpu, note: "WebGPU: " + adapter, onGPU: true}
	}
	why := err.Error()
	if errors.Is(err, shaders.ErrNoAdapter) {
		why = "WebGPU offers no adapter here: it may be turned off, or this GPU not supported"
	}
	return backend{
		Backend: cpu.New(),
		note:    "no WebGPU",
		notice: why + ", so flowsphere runs on the CPU: images take longer and training is very slow. " +
			"Chrome or Edge 113+ and Safari 26+ use your GPU through WebGPU.",
	}
}
