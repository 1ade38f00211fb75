// Command sample generates images from a weight file and writes them as a PNG grid; with
// -compare each AE decode stands beside its refined image.
//
//	go run ./tools/sample -weights pretrained/emoji32.safetensors.zst -n 64 -steps 4 -seed 1 -out grid.png [-compare]
//
// It imports model/backends, model/gen, tools/internal/progress, tools/internal/samples and
// weights.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"

	"flowsphere/model/backends"
	"flowsphere/model/gen"
	"flowsphere/tools/internal/progress"
	"flowsphere/tools/internal/samples"
	"flowsphere/weights"
)

// batchSize bounds the images generated at once, to keep memory modest.
const batchSize = 64

func main() {
	path := flag.String("weights", "", "weight file (.safetensors.zst) (required)")
	n := flag.Int("n", 64, "number of images")
	steps := flag.Int("steps", 4, "refinement steps (Heun; 0 = AE decode only)")
	loops := flag.Int("loops", -1, fmt.Sprintf("encode→decode loops between the random sphere point and the refiner (-1: the weight file's, else %d)", gen.DefaultLoops))
	euler := flag.Bool("euler", false, "Euler steps instead of Heun")
	seed := flag.Uint64("seed", 1, "seed: the same seed gives the same images on the same backend")
	out := flag.String("out", "grid.png", "output PNG")
	compare := flag.Bool("compare", false, "put each AE decode beside its refined image")
	backend := flag.String("backend", "auto", "compute backend: "+backends.Names)
	flag.Usage = func() {
		o := flag.CommandLine.Output()
		fmt.Fprintln(o, "usage: sample -weights FILE [-n 64] [-steps 4] [-seed 1] [-out grid.png] [-compare]")
		fmt.Fprintln(o, "\nDecodes random sphere points and refines them, and writes a PNG grid.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *path == "" || *n < 1 || *steps < 0 || *loops < -1 || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*path, *n, *steps, *loops, *euler, *seed, *out, *compare, *backend); err != nil {
		fmt.Fprintln(progress.Stderr.Notes(), "sample:", err)
		os.Exit(1)
	}
}

func run(path string, n, steps, loops int, euler bool, seed uint64, out string, compare bool, backend string) error {
	notes := progress.Stderr.Notes()
	f, err := weights.ReadFile(path, weights.DefaultLimits)
	if err != nil {
		return err
	}
	b, err := backends.Open(backend, notes)
	if err != nil {
		return err
	}
	defer b.Close()
	m, err := gen.Open(b, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer m.Free(b)
	fmt.Fprintf(notes, "%s: %s config, %d parameters; %s\n", path, m.Cfg.Name, m.Params.Count(), backends.Describe(b))

	g := m.NewGenerator(b, min(n, batchSize))
	defer g.Free(b)
	if loops >= 0 {
		g.Loops = loops
	}
	bar := progress.New(progress.Stderr, "sample", "images", n)
	decoded, refined, err := g.Sample(b, seed, n, steps, euler, bar.Add)
	if err != nil {
		return err
	}
	bar.Done()
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	if compare {
		err = samples.WritePairs(out, decoded, refined, m.Cfg.Image, cols)
	} else {
		err = samples.WriteGrid(out, refined, m.Cfg.Image, cols)
	}
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d images, %d encode→decode loops, %d refinement steps (%d refiner calls per batch)\n", out, n, g.Loops, steps, g.Calls())
	return nil
}
