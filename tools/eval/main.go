// Command eval is the project's quality report for a generator weight file: the
// autoencoder's reconstruction PSNR and SSIM on held-out images, and for each refinement step
// count the Fréchet distance to the training split in the features of the project's own
// classifier, the share of confidently classified samples (mnist32) and the distance to the
// nearest training image, beside the same measures for real held-out images. It prints a
// table (or JSON) and writes quality.png and one sample grid per step count into -out.
// With -curve it measures the weight snapshots of training runs instead (tools/train
// -snapshot-every) and plots the Fréchet distance against the training step, one line per
// run and step count, into -out/curve.png.
//
//	go run ./tools/eval -weights FILE -data emoji32|mnist32 [-n 2000] [-steps 0,1,2,4,8] [-json] [-out DIR]
//	go run ./tools/eval -curve r=0.75:runs/a,r=1:runs/b -data mnist32 [-n 500] [-steps 0,4]
//
// The classifier is a weight file of its own (pretrained/classifier-DATA.safetensors.zst),
// trained once per dataset on the CPU backend with
//
//	go run ./tools/eval -train-classifier -data emoji32|mnist32
//
// It imports model/backends, model/classifier, model/cpu, model/data, model/eval, model/gen,
// model/tensor, tools/internal/plot, tools/internal/progress, tools/internal/samples and weights.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"flowsphere/model/backends"
	"flowsphere/model/classifier"
	"flowsphere/model/data"
	"flowsphere/model/eval"
	"flowsphere/model/gen"
	"flowsphere/tools/internal/progress"
	"flowsphere/weights"
)

// flags holds the command line.
type flags struct {
	weights, data, classifier, out, backend string
	curve                                   []curveRun // -curve: compare training runs instead of one file
	eval                                    eval.Options
	json, trainClassifier                   bool
	classifierSteps                         int
}

func parseFlags() flags {
	f := flags{eval: eval.DefaultOptions()}
	steps := flag.String("steps", joinInts(f.eval.Steps), "comma-separated refinement step counts (0: AE decode only)")
	curveRuns := flag.String("curve", "", "compare training runs: LABEL:DIR,… with weight snapshots (tools/train -snapshot-every); writes curve.png")
	flag.StringVar(&f.weights, "weights", "", "generator weight file (.safetensors.zst) (required unless -train-classifier)")
	flag.StringVar(&f.data, "data", "", "dataset: emoji32 or mnist32 (required)")
	flag.StringVar(&f.classifier, "classifier", "", "classifier weight file (default pretrained/classifier-DATA.safetensors.zst)")
	flag.StringVar(&f.out, "out", "", "folder for quality.png and the sample grids (default runs/eval-NAME, NAME the weight file's)")
	flag.StringVar(&f.backend, "backend", "auto", "compute backend: "+backends.Names)
	flag.IntVar(&f.eval.Loops, "loops", f.eval.Loops, fmt.Sprintf("encode→decode loops between the random sphere point and the refiner (-1: the weight file's, else %d)", gen.DefaultLoops))
	flag.Float64Var(&f.eval.Renoise, "renoise", 0, "re-noise each loop's encoded point by this angle in degrees before decoding it (the Sphere Encoder's sampler)")
	flag.BoolVar(&f.eval.Uniform, "uniform", false, "draw uniform sphere points even when the weight file has a prior")
	flag.Float64Var(&f.eval.Temperature, "temperature", 0, "the prior's sampling temperature, in (0, 2] (0: the weight file's)")
	flag.IntVar(&f.eval.N, "n", f.eval.N, "generated images per step count (and most held-out images used)")
	flag.Uint64Var(&f.eval.Seed, "seed", f.eval.Seed, "generation seed, the same for every step count")
	flag.BoolVar(&f.eval.Euler, "euler", false, "Euler steps instead of Heun")
	flag.IntVar(&f.eval.Batch, "batch", f.eval.Batch, "images per generator call")
	flag.BoolVar(&f.json, "json", false, "print the report as JSON instead of a table")
	flag.BoolVar(&f.trainClassifier, "train-classifier", false, "train the dataset's classifier (CPU backend) and write it to -classifier")
	flag.IntVar(&f.classifierSteps, "classifier-steps", classifier.DefaultTrainOptions().Steps, "optimiser steps of -train-classifier")
	flag.Usage = func() {
		o := flag.CommandLine.Output()
		fmt.Fprintln(o, "usage: eval -weights FILE -data emoji32|mnist32 [-n 2000] [-steps 0,1,2,4,8] [-json] [-out DIR]")
		fmt.Fprintln(o, "       eval -train-classifier -data emoji32|mnist32")
		fmt.Fprintln(o, "       eval -curve LABEL:DIR,LABEL:DIR -data emoji32|mnist32 [-n 500] [-steps 0,4] [-json] [-out DIR]")
		fmt.Fprintln(o, "\nMeasures a generator: reconstruction PSNR/SSIM, and per step count the Fréchet distance in the")
		fmt.Fprintln(o, "project classifier's features, the confident share (mnist32) and the nearest-training-image RMSE.")
		flag.PrintDefaults()
	}
	flag.Parse()
	var err error
	f.eval.Steps, err = parseInts(*steps)
	if err == nil && *curveRuns != "" {
		f.curve, err = parseCurve(*curveRuns)
	}
	modes := 0
	for _, on := range []bool{f.weights != "", f.trainClassifier, f.curve != nil} {
		if on {
			modes++
		}
	}
	if err != nil || f.data == "" || modes != 1 || flag.NArg() != 0 {
		if err != nil {
			fmt.Fprintln(os.Stderr, "eval:", err)
		}
		flag.Usage()
		os.Exit(2)
	}
	if f.classifier == "" {
		f.classifier = defaultClassifier(f.data)
	}
	if f.out == "" {
		name := strings.TrimSuffix(filepath.Base(f.weights), weights.Ext)
		if f.curve != nil {
			name = "curve-" + f.data
		}
		f.out = filepath.Join("runs", "eval-"+name)
	}
	f.eval.Confident = f.data == "mnist32" // a digit has one right answer; emoji categories overlap
	return f
}

func main() {
	f := parseFlags()
	if err := run(f); err != nil {
		fmt.Fprintln(progress.Stderr.Notes(), "eval:", err)
		os.Exit(1)
	}
}

func run(f flags) error {
	if f.data != "emoji32" && f.data != "mnist32" {
		return fmt.Errorf("-data %s: the classifier needs labelled images, emoji32 (categories) or mnist32 (digits)", f.data)
	}
	set, _, _, err := data.Open(f.data, data.Options{Log: progress.Stderr.Notes(), Progress: progress.Stages})
	if err != nil {
		return err
	}
	if f.trainClassifier {
		return trainClassifier(f, set, os.Stdout)
	}
	if f.curve != nil {
		return curve(f, set, os.Stdout)
	}
	return evaluate(f, set, os.Stdout)
}

// joinInts writes v as "1,2,3".
func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// parseInts reads "1,2,3".
func parseInts(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
