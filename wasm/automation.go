//go:build js

package main

import (
	"encoding/json"
	"fmt"
	"path"
	"runtime"
	"syscall/js"

	"flowsphere/ui"
)

// methods are window.flowsphere's functions: the App's automation API for tests and the
// browser console. Each returns at once — the App queues the command and State() shows its
// effect — except loadWeights, which returns a promise of the download.
func methods(app *ui.App) map[string]func(args []js.Value) any {
	return map[string]func(args []js.Value) any{
		// state() is the app's state as a plain object (ui.StateSnapshot's JSON).
		"state": func([]js.Value) any {
			b, err := json.Marshal(app.State())
			if err != nil { // a non-finite number; a panic here would end the whole app
				return js.ValueOf(map[string]any{"state": ui.StateError, "error": "state: " + err.Error()})
			}
			return js.Global().Get("JSON").Call("parse", string(b))
		},
		// generate(seed?, steps?): a new grid; a random seed and the current steps by default.
		"generate": func(a []js.Value) any {
			seed := ui.RandomSeed()
			if s := arg(a, 0); s.Type() == js.TypeNumber {
				seed = uint64(s.Float())
			}
			app.Generate(seed, intOr(arg(a, 1), app.State().Steps))
			return nil
		},
		"walk":       func(a []js.Value) any { app.Walk(arg(a, 0).IsUndefined() || arg(a, 0).Truthy()); return nil },
		"neighbours": func(a []js.Value) any { app.Neighbours(intOr(arg(a, 0), 0), floatOr(arg(a, 1), 20)); return nil },
		"train":      func(a []js.Value) any { app.Train(intOr(arg(a, 0), 0)); return nil },
		"pause":      func([]js.Value) any { app.Pause(); return nil },
		"setTarget":  func(a []js.Value) any { app.SetTarget(intOr(arg(a, 0), 0)); return nil },
		"setAEOnly":  func(a []js.Value) any { app.SetAEOnly(arg(a, 0).Truthy()); return nil },
		"save":       func([]js.Value) any { app.Save(); return nil },
		"reset":      func([]js.Value) any { app.Reset(); return nil },
		// memory() is the Go heap after a collection (heap_live) and the heap the Go runtime
		// holds (heap_sys), in bytes, for memory tests; state() has the GPU buffers.
		"memory": func([]js.Value) any {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return js.ValueOf(map[string]any{"heap_live": m.HeapAlloc, "heap_sys": m.HeapSys})
		},
		// loadWeights(url) downloads a weight file and hands it to the app; the promise
		// settles when the download has (the app then loads it and State() tells how).
		"loadWeights": func(a []js.Value) any {
			url := arg(a, 0)
			return promise(func() (any, error) {
				if url.Type() != js.TypeString {
					return nil, fmt.Errorf("loadWeights wants a URL, got %s", url.Type())
				}
				data, err := fetchBytes(url.String(), "weights", false)
				if err != nil {
					app.LoadFailed(err) // the status line names the URL and the cause
					return nil, err
				}
				app.LoadWeights(path.Base(url.String()), data)
				return nil, nil
			})
		},
	}
}

// bind publishes app's automation methods as window.flowsphere.
func bind(app *ui.App) {
	obj := js.Global().Get("Object").New()
	for name, fn := range methods(app) {
		obj.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any { return fn(args) }))
	}
	js.Global().Set("flowsphere", obj)
}

// intOr is v as an int, or def when v is not a number.
func intOr(v js.Value, def int) int {
	if v.Type() != js.TypeNumber {
		return def
	}
	return v.Int()
}

// floatOr is v as a float64, or def when v is not a number.
func floatOr(v js.Value, def float64) float64 {
	if v.Type() != js.TypeNumber {
		return def
	}
	return v.Float()
}

// fetchBytes downloads url through the page's fetch helper, which shows the bytes loaded
// and, with cache, keeps the file in the browser's cache. Its errors name the URL.
func fetchBytes(url, label string, cache bool) ([]byte, error) {
	v, err := await(page().Call("fetchBytes", url, map[string]any{"label": label, "cache": cache}))
	if err != nil {
		return nil, err
	}
	return bytesFromJS(v), nil
}
