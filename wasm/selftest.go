//go:build js

package main

import (
	"encoding/json"
	"fmt"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/model/opcheck"
	"flowsphere/ui"
)

// runSelftest is ?selftest: the shared kernel case table on the browser's WebGPU against
// the float32 CPU reference, as `go run ./tools/selftest -backend webgpu -json` runs it
// natively. It writes the same JSON array into <pre id="selftest"> (or, when WebGPU does not
// start, the reason) and then sets its data-done="1"; #status gives the summary.
func runSelftest() {
	out := element("selftest")
	out.Set("hidden", false)
	element("loading").Set("hidden", true) // the status bar shows the progress
	start := time.Now()
	results, adapter, err := selftest()
	var text []byte
	if err == nil {
		// As with tools/selftest -json, an infinite error in a result does not encode.
		text, err = json.MarshalIndent(results, "", "  ")
	}
	if err != nil {
		out.Set("textContent", "selftest: "+err.Error())
		setStatus(ui.StateError, "error: selftest: "+err.Error())
	} else {
		out.Set("textContent", string(text)+"\n")
		failed := 0
		for _, r := range results {
			if !r.Pass {
				failed++
			}
		}
		state := ui.StateReady
		if failed > 0 {
			state = ui.StateError
		}
		setStatus(state, fmt.Sprintf("selftest: %d passed, %d failed on WebGPU (%s) in %.1f s",
			len(results)-failed, failed, adapter, time.Since(start).Seconds()))
	}
	out.Call("setAttribute", "data-done", "1")
}

// selftest runs every case. In the browser a validation error does not come back from the
// call that caused it; the runtime's error scopes catch it, and the case's readback fails
// with its message.
func selftest() ([]opcheck.Result, string, error) {
	dev, adapter, err := openWebGPU()
	if err != nil {
		return nil, "", err
	}
	defer dev.Close()
	ref := cpu.NewReference()
	cases := opcheck.All()
	results := make([]opcheck.Result, 0, len(cases))
	for i, c := range cases {
		setStatus(ui.StateLoading, fmt.Sprintf("selftest: case %d of %d: %s %s", i+1, len(cases), c.Family, c.Label()))
		r := opcheck.RunCase(c, ref, dev)
		if r.Adapter == "" { // the library's browser binding reports no adapter info
			r.Adapter = adapter
		}
		results = append(results, r)
	}
	return results, adapter, nil
}
