//go:build js

package main

import (
	"bytes"
	"fmt"
	"net/url"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/model/perf"
	"flowsphere/ui"
	"flowsphere/weights"
)

// runBench is ?bench: perf's benchmark workloads — the rows of `go run ./tools/bench -json`
// — on the browser's CPU path (peer "go": the blocked pure-Go kernel on one thread) and on
// its WebGPU ("webgpu", unless ?backend=cpu), written as the same JSON into
// <pre id="bench"> (data-done="1" once it is there); #status says how far it is.
//
// Parameters: only=TEXT[,TEXT…] runs the workloads whose names contain one of them (e.g.
// matmul/xwt,step); time=DURATION is the least measuring time per workload and peer (300ms);
// steps=CONFIG is the training steps' config (small, at batch 8 and 32); weights=URL is the
// generation's model (the page's default otherwise).
func runBench(q url.Values) {
	runReport("bench", func() (any, string, string, error) {
		start := time.Now()
		rep, err := bench(q)
		if err != nil {
			return nil, "", "", err
		}
		return rep, ui.StateReady, fmt.Sprintf("bench: %d workloads in %.0f s", len(rep.Rows), time.Since(start).Seconds()), nil
	})
}

// bench measures the workloads q selects.
func bench(q url.Values) (*perf.Report, error) {
	minTime := 300 * time.Millisecond
	if s := q.Get("time"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return nil, fmt.Errorf("time=%s: %w", s, err)
		}
		minTime = d
	}
	steps := []perf.StepShape{perf.SmallFineTune, perf.SmallStep}
	if c := q.Get("steps"); c != "" {
		for i := range steps {
			steps[i].Config = c
		}
	}
	peers := []perf.Peer{perf.BackendPeer("go", cpu.New())}
	var notes []string
	if q.Get("backend") != "cpu" {
		gpu, adapter, err := openWebGPU()
		if err != nil {
			notes = append(notes, fmt.Sprintf("no WebGPU: %v", err))
		} else {
			defer gpu.Close()
			p := perf.BackendPeer("webgpu", gpu)
			p.Detail = "WebGPU: " + adapter // the browser binding reports no adapter itself
			peers = append(peers, p)
		}
	}
	jobs := perf.Select(perf.Jobs(steps, pageWeights), q.Get("only"))
	rep := perf.NewReport(peers, notes...)
	for i, j := range jobs {
		rep.Measure(j, peers, minTime, func(p perf.Peer) {
			setStatus(ui.StateLoading, fmt.Sprintf("bench: workload %d of %d: %s on %s", i+1, len(jobs), j.Name(), p.Name))
			yieldToPage()
		})
	}
	rep.Summarise()
	return rep, nil
}

// pageWeights is the weight file the page downloaded at boot (the default, or ?weights=).
func pageWeights() (*weights.File, error) {
	v, err := await(page().Get("weights"))
	if err != nil {
		return nil, err
	}
	f, err := weights.Read(bytes.NewReader(bytesFromJS(v)), weights.DefaultLimits)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", page().Get("weightsURL").String(), err)
	}
	return f, nil
}

// yieldToPage lets the page draw the status before the next measurement, which holds the
// thread on the CPU path.
func yieldToPage() { time.Sleep(20 * time.Millisecond) }
