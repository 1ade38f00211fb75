//go:build js

// Command wasm is flowsphere's browser app. ./build.sh site builds it with GOOS=js
// GOARCH=wasm into site/app.wasm, and index.html (site/page.js) downloads and runs it.
//
// It is kept thin: it opens the WebGPU backend — or the CPU backend when a probe finds it
// faster than a software adapter (SwiftShader), or with a plain notice when the browser
// offers no WebGPU adapter; takes the default weights that the page has been
// downloading meanwhile; hands them, the backend and a ui.Host for the page (status line,
// downloads, IndexedDB) to package ui; forwards the page's file input; binds the App's
// automation methods to window.flowsphere; and runs the Ebiten game. With ?selftest it runs
// the shared kernel case table on the browser's WebGPU instead, and with ?bench the
// benchmark workloads of tools/bench on the browser's CPU path and WebGPU (bench.go).
//
// Query parameters: selftest; weights=URL loads another weight file (the browser tests use
// a tiny model; one that cannot be had is an error naming the URL, and the default loads);
// loops=N sets the encode→decode loops before each decode (the browser tests use few);
// backend=cpu skips WebGPU, backend=webgpu keeps it on a software adapter. A lost GPU device is replaced by a new one (ui.Options.Reopen).
//
// GPU work blocks its goroutine on promises (buffer readback), so it runs on main's
// goroutine here and on the engine's goroutine in package ui, never in a js.FuncOf
// callback: callbacks only start goroutines or queue commands and return at once.
//
// It imports model/backends, model/cpu, model/opcheck, model/perf, model/tensor,
// model/webgpu, ui and weights.
package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"syscall/js"

	"flowsphere/ui"
)

func main() {
	q, _ := url.ParseQuery(strings.TrimPrefix(js.Global().Get("location").Get("search").String(), "?"))
	if q.Has("selftest") {
		runSelftest()
	} else if q.Has("bench") {
		runBench(q)
	} else if err := runApp(q); err != nil {
		setStatus(ui.StateError, "error: "+err.Error())
	}
	// Stay alive: Ebiten's event handlers and window.flowsphere call into the program, and
	// calling a program that has exited throws in the page.
	select {}
}

// runReport runs a mode of the page that shows a JSON report instead of the app (?selftest,
// ?bench). It shows <pre id=name> and hides the loading panel, since the status line shows
// the progress; then it writes the JSON of run's report into the element and run's state and
// text into the status line, or run's error in both, and sets the element's data-done="1".
func runReport(name string, run func() (report any, state, status string, err error)) {
	out := element(name)
	out.Set("hidden", false)
	element("loading").Set("hidden", true)
	report, state, status, err := run()
	var text []byte
	if err == nil {
		text, err = json.MarshalIndent(report, "", "  ")
	}
	if err != nil {
		out.Set("textContent", name+": "+err.Error())
		setStatus(ui.StateError, "error: "+name+": "+err.Error())
	} else {
		out.Set("textContent", string(text)+"\n")
		setStatus(state, status)
	}
	out.Call("setAttribute", "data-done", "1")
}
