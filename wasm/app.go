//go:build js

package main

import (
	"net/url"
	"strconv"

	"flowsphere/ui"
)

// fileQueue holds picked files until the app takes them; one pick fits, so it arrives as
// one batch.
const fileQueue = 256

// runApp starts the app and runs the Ebiten game until it ends.
func runApp(q url.Values) error {
	b := openBackend(q.Get("backend"))
	if b.notice != "" {
		page().Call("notice", b.notice)
	}
	files := make(chan ui.File, fileQueue)
	watchFileInput(files)
	loops, _ := strconv.Atoi(q.Get("loops")) // absent or not a number: the default
	opts := ui.Options{
		Loops:       max(loops, 0),
		Backend:     b.Backend,
		BackendNote: b.note,
		CanTrain:    b.onGPU,
		Host:        host{},
		Files:       files,
	}
	startWeights(&opts)
	if b.onGPU {
		opts.Reopen = reopenWebGPU
	}
	app := ui.New(opts)
	bind(app)
	page().Call("started") // the game draws the rest of the loading, grid by grid
	return app.Run()
}

// startWeights waits for the weight file the page started downloading at boot (the
// default, or ?weights=). When that failed, opts says why, and the app loads the default
// weights instead, unless they were the ones asked for.
func startWeights(opts *ui.Options) {
	url, def := page().Get("weightsURL").String(), page().Get("defaultWeightsURL").String()
	opts.WeightsName = url
	setStatus(ui.StateLoading, "loading: downloading the weights")
	v, err := await(page().Get("weights"))
	if err != nil {
		opts.WeightsErr = err // fetchBytes names the URL
	} else {
		opts.Weights = bytesFromJS(v)
	}
	if url != def {
		opts.DefaultWeights = func() (string, []byte, error) {
			data, err := fetchBytes(def, "weights", true)
			return def, data, err
		}
	}
}
