// Command prior fits a weight file's sphere prior to the encodings of a dataset's training
// images and writes the file with it: the generator then draws its sphere points from that
// Gaussian mixture instead of uniformly (model/prior says why), with -loops encode→decode
// loops after the draw and -temperature scaling the components' spread.
//
//	go run ./tools/prior -weights IN -data emoji32|mnist32|DIR -out OUT [-k 32] [-rank 64] [-n 20000] [-temperature 1] [-loops 0]
//
// It imports model/backends, model/data, model/gen, model/prior, tools/internal/progress and
// weights.
package main

import (
	"flag"
	"fmt"
	"os"

	"flowsphere/model/backends"
	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/prior"
	"flowsphere/tools/internal/progress"
	"flowsphere/weights"
)

// flags holds the command line.
type flags struct {
	in, out, data, backend string
	n, loops               int
	temperature            float64
	fit                    prior.FitOptions
}

func main() {
	f := flags{fit: prior.DefaultFitOptions()}
	flag.StringVar(&f.in, "weights", "", "generator weight file to fit a prior to (required)")
	flag.StringVar(&f.out, "out", "", "weight file to write (required; may be -weights itself)")
	flag.StringVar(&f.data, "data", "", "dataset whose training images the prior fits: emoji32, mnist32 or a folder (required)")
	flag.StringVar(&f.backend, "backend", "auto", "compute backend: "+backends.Names)
	flag.IntVar(&f.n, "n", 20000, "most training images to encode")
	flag.IntVar(&f.loops, "loops", 0, "encode→decode loops the written file asks for after each draw")
	flag.Float64Var(&f.temperature, "temperature", gen.DefaultTemperature, "sampling temperature, in (0, 2]: below 1 draws nearer the components' means")
	flag.IntVar(&f.fit.Components, "k", f.fit.Components, "mixture components")
	flag.IntVar(&f.fit.Rank, "rank", f.fit.Rank, "most principal directions of the encodings the components span")
	flag.IntVar(&f.fit.Iterations, "iterations", f.fit.Iterations, "most EM iterations")
	flag.Float64Var(&f.fit.Shrink, "shrink", f.fit.Shrink, "covariance shrinkage towards the mean variance, in [0, 1]")
	flag.Uint64Var(&f.fit.Seed, "seed", f.fit.Seed, "seed of the k-means++ start")
	flag.Usage = func() {
		o := flag.CommandLine.Output()
		fmt.Fprintln(o, "usage: prior -weights IN -data emoji32|mnist32|DIR -out OUT [-k 32] [-n 20000] [-temperature 1] [-loops 0]")
		fmt.Fprintln(o, "\nFits the generator's sphere prior (a Gaussian mixture) to the encodings of the training images.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if f.in == "" || f.out == "" || f.data == "" || f.n < 2 || f.loops < 0 || !(f.temperature > 0 && f.temperature <= 2) || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(f); err != nil {
		fmt.Fprintln(progress.Stderr.Notes(), "prior:", err)
		os.Exit(1)
	}
}

func run(f flags) error {
	notes := progress.Stderr.Notes()
	file, err := weights.ReadFile(f.in, weights.DefaultLimits)
	if err != nil {
		return err
	}
	set, _, _, err := data.Open(f.data, data.Options{Log: notes, Progress: progress.Stages})
	if err != nil {
		return err
	}
	b, err := backends.Open(f.backend, notes)
	if err != nil {
		return err
	}
	defer b.Close()
	m, err := gen.Open(b, gen.WithoutPrior(file)) // any prior the file has is replaced
	if err != nil {
		return fmt.Errorf("%s: %w", f.in, err)
	}
	defer m.Free(b)
	n := min(f.n, len(set.Train))
	add, done := progress.Stages("encode training images", "images", n)
	ll, err := m.FitPrior(b, n, 64, trainImages(set), f.fit, add)
	done()
	if err != nil {
		return err
	}
	m.Loops, m.Temperature = f.loops, f.temperature
	out, err := m.ToFile(b, m.Params.Values, file.Metadata)
	if err != nil {
		return err
	}
	if err := weights.WriteFile(f.out, out, weights.F16); err != nil {
		return err
	}
	fmt.Printf("wrote %s: a %d-component prior of rank %d over L = %d (residual sd %.3f) fitted to %d encodings (mean log-likelihood %.2f), temperature %g, %d loops\n",
		f.out, m.Prior.Components(), m.Prior.Rank, m.Cfg.L(), m.Prior.Residual, n, ll, f.temperature, f.loops)
	return nil
}

// trainImages fills batches with the training images of set in order.
func trainImages(set *data.Set) func(dst []float32, from, to int) {
	return func(dst []float32, from, to int) {
		idx := make([]int, to-from)
		for i := range idx {
			idx[i] = from + i
		}
		set.Batch(dst, idx, true)
	}
}
