// Command flowsphere opens the flowsphere app on the desktop: the same Ebiten app as the
// browser page, on the native WebGPU backend when an adapter exists (else the CPU).
//
//	go run ./ui/cmd/flowsphere [-weights pretrained/emoji32.safetensors.zst] [-backend auto] [FILE…]
//	go run ./ui/cmd/flowsphere -screenshot shot.png -frames 10
//
// Files named on the command line are dropped on the app at start: images to fine-tune on,
// or a weight file to load. The fine-tune state is kept in a folder under the user cache
// directory (-store); Save writes weight files to the current folder (-out). Status changes
// are printed.
//
// It imports model/backends, model/gen, model/tensor, ui and weights.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"flowsphere/model/backends"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/ui"
	"flowsphere/weights"
)

// flags holds the command line.
type flags struct {
	weights, backend, store, out, screenshot string
	frames, train, loops                     int
	files                                    []string
}

func parseFlags() flags {
	var f flags
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	flag.StringVar(&f.weights, "weights", filepath.Join("pretrained", "emoji32"+weights.Ext), "weight file to start with; if it is missing, a freshly initialised small model")
	flag.StringVar(&f.backend, "backend", "auto", "compute backend: "+backends.Names)
	flag.StringVar(&f.store, "store", filepath.Join(cache, "flowsphere", "app"), "folder that keeps the fine-tune state between runs")
	flag.StringVar(&f.out, "out", ".", "folder that Save writes weight files to")
	flag.StringVar(&f.screenshot, "screenshot", "", "write a PNG of the screen to this file once the first grid is shown and -frames frames have passed, then exit")
	flag.IntVar(&f.frames, "frames", 10, "frames to run before the -screenshot")
	flag.IntVar(&f.train, "train", 0, "start fine-tuning on FILE… for this many steps")
	flag.IntVar(&f.loops, "loops", 0, fmt.Sprintf("encode→decode loops before each decode (0: the weight file's, else %d)", gen.DefaultLoops))
	flag.Usage = func() {
		o := flag.CommandLine.Output()
		fmt.Fprintln(o, "usage: flowsphere [-weights FILE] [-backend auto|webgpu|cpu] [-store DIR] [-out DIR] [-train N] [-loops N] [-screenshot FILE -frames N] [FILE…]")
		fmt.Fprintln(o, "\nOpens the flowsphere app: generate images, explore the sphere, fine-tune on your own images")
		fmt.Fprintln(o, "(FILE… or dropped on the window), save the weights. A weight file among FILE… is loaded as the model.")
		flag.PrintDefaults()
	}
	flag.Parse()
	f.files = flag.Args()
	return f
}

func main() {
	if err := run(parseFlags()); err != nil {
		fmt.Fprintln(os.Stderr, "flowsphere:", err)
		os.Exit(1)
	}
}

func run(f flags) error {
	var note bytes.Buffer
	b, err := backends.Open(f.backend, &note)
	if err != nil {
		return err
	}
	opts := ui.Options{
		Backend:     b,
		BackendNote: strings.TrimSpace(note.String()),
		CanTrain:    b.Info().Backend == "webgpu",
		WeightsName: f.weights,
		Loops:       f.loops,
		Host:        &host{out: f.out, store: dirStore(f.store)},
	}
	if opts.CanTrain { // a lost device is replaced by a new one of the same kind
		opts.Reopen = func() (tensor.Backend, error) { return backends.Open("webgpu", io.Discard) }
	}
	opts.Weights, err = os.ReadFile(f.weights)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Printf("no weight file at %s: starting with a freshly initialised small model\n", f.weights)
	case err != nil:
		return err
	}
	files, err := readFiles(f.files)
	if err != nil {
		return err
	}
	app := ui.New(opts)
	defer app.Close()
	if len(files) > 0 {
		app.Drop(files)
	}
	if f.train > 0 {
		app.Train(f.train) // commands run in order: after the files
	}
	if f.screenshot != "" {
		if err := app.RunScreenshot(f.screenshot, f.frames); err != nil {
			return err
		}
		fmt.Println("wrote", f.screenshot)
		return nil
	}
	return app.Run()
}

// readFiles reads the files named on the command line.
func readFiles(paths []string) ([]ui.File, error) {
	var files []ui.File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files = append(files, ui.File{Name: filepath.Base(p), Data: data})
	}
	return files, nil
}
