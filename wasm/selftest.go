//go:build js

package main

import (
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
	runReport("selftest", func() (any, string, string, error) {
		start := time.Now()
		results, adapter, err := selftest()
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
		// As with tools/selftest -json, an infinite error in a result does not encode.
		return results, state, fmt.Sprintf("selftest: %d passed, %d failed on WebGPU (%s) in %.1f s",
			len(results)-failed, failed, adapter, time.Since(start).Seconds()), err
	})
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
