//go:build js

package main

import (
	"net/url"
	"path"
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
	weights, name := defaultWeights()
	files := make(chan ui.File, fileQueue)
	watchFileInput(files)
	loops, _ := strconv.Atoi(q.Get("loops")) // absent or not a number: the default
	app := ui.New(ui.Options{
		Loops:       max(loops, 0),
		Backend:     b.Backend,
		BackendNote: b.note,
		CanTrain:    b.onGPU,
		Weights:     weights,
		WeightsName: name,
		Host:        host{},
		Files:       files,
	})
	bind(app)
	return app.Run()
}

// defaultWeights waits for the weight file the page started downloading at boot. When that
// failed the app starts with a freshly initialised model, and the page says why.
func defaultWeights() ([]byte, string) {
	u := page().Get("weightsURL").String()
	v, err := await(page().Get("weights"))
	if err != nil {
		page().Call("notice", "The weights did not load ("+err.Error()+"): the app starts with an untrained model.")
		return nil, ""
	}
	return bytesFromJS(v), path.Base(u)
}
