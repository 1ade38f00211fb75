// Command train trains a flowsphere model, from scratch or (-init) from a weight file, and
// writes in its output folder: loss.csv and loss.png (the loss curves), samples-NNNNNN.png
// grids (AE decode beside the refined image, from the EMA weights),
// checkpoint.safetensors.zst (the whole training state, for -resume), NAME.safetensors.zst
// (the EMA weights in F16) and, with -snapshot-every, the EMA weights at those steps as
// NAME-stepNNNNNN.safetensors.zst. It ends with a JSON summary line.
//
//	go run ./tools/train -data emoji32 -config small -steps 20000 -batch 32 -out runs/emoji32 [-resume]
//
// It imports model/backends, model/config, model/data, model/gen, model/prior, model/refiner,
// model/tensor, model/train, tools/internal/plot, tools/internal/progress,
// tools/internal/samples and weights.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"flowsphere/model/backends"
	"flowsphere/model/config"
	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/prior"
	"flowsphere/model/refiner"
	"flowsphere/model/tensor"
	"flowsphere/model/train"
	"flowsphere/tools/internal/progress"
	"flowsphere/weights"
)

// flags holds the command line.
type flags struct {
	data, config, out, backend, timeDist string
	init                                 string // -init: start from these weights
	steps, batch, aeWarmup, latent       int
	logEvery, sampleEvery, ckptEvery     int
	loops                                int
	snapshotEvery                        int
	prior, priorImages                   int     // -prior: components of the exported files' sphere prior (0: none)
	temperature                          float64 // the prior's sampling temperature
	optimizer                            string
	lr, ratio                            float64
	alphaMax, latentWeight               float64 // -alpha-max, -latent-weight: the autoencoder's noise and loss (0: the config's)
	seed                                 uint64
	resume, freshRefiner                 bool
	given                                map[string]bool // the flags on the command line; -steps on -resume moves the end of the run
}

func parseFlags() flags {
	var f flags
	flag.StringVar(&f.data, "data", "emoji32", "dataset: emoji32, mnist32 or a folder of images")
	flag.StringVar(&f.config, "config", "small", fmt.Sprintf("model size: %v", config.Presets()))
	flag.StringVar(&f.out, "out", "", "output folder, e.g. runs/emoji32 (required); its name names the weight file")
	flag.StringVar(&f.backend, "backend", "auto", "compute backend: "+backends.Names)
	flag.IntVar(&f.steps, "steps", 2000, "total optimiser steps")
	flag.IntVar(&f.batch, "batch", 32, "images per step")
	flag.IntVar(&f.aeWarmup, "ae-warmup", -1, "autoencoder-only steps before the refiner trains (default steps/5)")
	flag.IntVar(&f.latent, "latent", 0, "latent channels per token D (default: the config's)")
	flag.Float64Var(&f.lr, "lr", 0, "peak learning rate (default 5e-4)")
	flag.Float64Var(&f.alphaMax, "alpha-max", 0, "largest training noise angle in degrees; the overflow band reaches 5° further (default: the config's 80°)")
	flag.Float64Var(&f.latentWeight, "latent-weight", 0, "weight of the latent-consistency loss (default: the config's 0.1)")
	flag.Float64Var(&f.ratio, "ratio", -1, "refiner coupling r: x_start = r·noise + (1−r)·AE decode; 1 is pure noise (default 0.75)")
	flag.StringVar(&f.timeDist, "time", "", "refiner time distribution: uniform or logit-normal (default uniform)")
	flag.Uint64Var(&f.seed, "seed", 1, "seed of weights, data order and noise")
	flag.IntVar(&f.logEvery, "log-every", 10, "steps between loss reports")
	flag.IntVar(&f.sampleEvery, "sample-every", 0, "steps between sample grids (default steps/10)")
	flag.IntVar(&f.ckptEvery, "checkpoint-every", 500, "steps between checkpoints")
	flag.IntVar(&f.loops, "loops", -1, fmt.Sprintf("encode→decode loops that the exported weight files ask their generators to run (-1: 0 with a prior, else the -init file's or %d)", gen.DefaultLoops))
	flag.IntVar(&f.prior, "prior", prior.DefaultFitOptions().Components, "components of the sphere prior fitted to the training encodings at every export and sample grid (0: uniform sphere points)")
	flag.IntVar(&f.priorImages, "prior-images", 10000, "most training images the prior is fitted to")
	flag.Float64Var(&f.temperature, "temperature", gen.DefaultTemperature, "the prior's sampling temperature, in (0, 2]")
	flag.StringVar(&f.optimizer, "optimizer", train.AdamW, "optimiser: adamw, or muon (Muon for the hidden weight matrices, AdamW for the rest)")
	flag.IntVar(&f.snapshotEvery, "snapshot-every", 0, "steps between weight snapshots NAME-stepNNNNNN.safetensors.zst, for quality curves (0: none)")
	flag.BoolVar(&f.resume, "resume", false, "continue from the checkpoint in -out")
	flag.BoolVar(&f.freshRefiner, "fresh-refiner", false, "with -init: keep the file's autoencoder, start the refiner from a fresh initialisation (-seed)")
	flag.StringVar(&f.init, "init", "", "start from the weights in this file (its config; -latent may widen its latent, -time, -ratio, -alpha-max and -latent-weight change its training; fresh optimiser state), e.g. to continue a shipped model")
	flag.Usage = func() {
		o := flag.CommandLine.Output()
		fmt.Fprintln(o, "usage: train -data emoji32|mnist32|DIR -config tiny|mini|small -steps N -batch B -out runs/NAME [-resume]")
		fmt.Fprintln(o, "\nTrains the spherical autoencoder (phase 1) and then autoencoder and refiner together (phase 2).")
		flag.PrintDefaults()
	}
	flag.Parse()
	if f.out == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	f.given = map[string]bool{}
	flag.Visit(func(fl *flag.Flag) { f.given[fl.Name] = true })
	if f.sampleEvery <= 0 {
		f.sampleEvery = max(1, f.steps/10)
	}
	if f.prior < 0 || f.priorImages < 2 || !(f.temperature > 0 && f.temperature <= 2) {
		fmt.Fprintln(flag.CommandLine.Output(), "train: -prior must be ≥ 0, -prior-images ≥ 2 and -temperature in (0, 2]")
		os.Exit(2)
	}
	return f
}

func main() {
	f := parseFlags()
	if err := run(f); err != nil {
		fmt.Fprintln(progress.Stderr.Notes(), "train:", err)
		os.Exit(1)
	}
}

// Files in the output folder.
const (
	checkpointFile = "checkpoint" + weights.Ext
	lossCSV        = "loss.csv"
	lossPNG        = "loss.png"
)

func run(f flags) error {
	notes := progress.Stderr.Notes()
	b, err := backends.Open(f.backend, notes)
	if err != nil {
		return err
	}
	defer b.Close()
	fmt.Fprintf(notes, "backend: %s\n", backends.Describe(b))
	set, _, _, err := data.Open(f.data, data.Options{Log: notes, Progress: progress.Stages})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	tr, err := trainer(b, f, set)
	if err != nil {
		return err
	}
	defer tr.Free()
	if err := keepSchedule(&f); err != nil {
		return err
	}
	fmt.Fprintf(notes, "%s: %d parameters, %s config, dataset %s (%d train images), step %d of %d\n",
		f.out, tr.M.Params.Count(), tr.M.Cfg.Name, set.Name, len(set.Train), tr.Step, tr.Opt.Steps)

	log, err := openLog(filepath.Join(f.out, lossCSV), tr.Step)
	if err != nil {
		return err
	}
	defer log.Close()
	ema, err := newEMAModel(b, tr, f, 16)
	if err != nil {
		return err
	}
	defer ema.free(b)

	start, startStep := time.Now(), tr.Step
	bar := progress.New(progress.Stderr, "train", "steps", tr.Opt.Steps)
	bar.Resume(tr.Step)
	var last train.Report
	for tr.Step < tr.Opt.Steps {
		tr.TrainStep()
		bar.Add(1)
		step := tr.Step
		end := step == tr.Opt.Steps
		if step%f.logEvery == 0 || end {
			if last, err = tr.Report(); err != nil {
				return err
			}
			if err := log.add(last); err != nil {
				return err
			}
			if last.Skipped > 0 {
				fmt.Fprintf(notes, "step %d: %d steps skipped for non-finite gradients; learning rate halved\n", step, last.Skipped)
			}
		}
		if step%f.sampleEvery == 0 || end {
			if err := ema.grid(b, tr, filepath.Join(f.out, fmt.Sprintf("samples-%06d.png", step))); err != nil {
				return err
			}
			if err := log.plot(filepath.Join(f.out, lossPNG), f.out); err != nil {
				return err
			}
		}
		if f.snapshotEvery > 0 && step%f.snapshotEvery == 0 {
			if err := ema.export(b, tr, filepath.Join(f.out, fmt.Sprintf("%s-step%06d%s", runName(f.out), step, weights.Ext))); err != nil {
				return err
			}
		}
		if step%f.ckptEvery == 0 || end {
			if err := tr.Save(filepath.Join(f.out, checkpointFile)); err != nil {
				return err
			}
		}
	}
	bar.Done()
	elapsed := time.Since(start).Seconds()

	weightsPath := filepath.Join(f.out, runName(f.out)+weights.Ext)
	if err := ema.export(b, tr, weightsPath); err != nil {
		return err
	}
	done := tr.Step - startStep
	summary := map[string]any{
		"weights": weightsPath, "config": tr.M.Cfg.Name, "dataset": set.Name, "params": tr.M.Params.Count(),
		"backend": b.Info().Backend, "adapter": b.Info().Adapter, "steps": tr.Step, "steps_this_run": done,
		"images_seen": tr.Step * tr.Opt.Batch, "seconds": elapsed, "images_per_sec": float64(done*tr.Opt.Batch) / elapsed,
		"final_loss": last,
	}
	line, err := json.Marshal(summary)
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	return nil
}

// runName is the name of the weight files of a run: its output folder's name.
func runName(out string) string { return filepath.Base(filepath.Clean(out)) }

// trainer resumes from the output folder's checkpoint when asked, else starts afresh.
func trainer(b tensor.Backend, f flags, set *data.Set) (*train.Trainer, error) {
	ckpt := filepath.Join(f.out, checkpointFile)
	if f.resume {
		if _, err := os.Stat(ckpt); err != nil {
			return nil, fmt.Errorf("-resume: no checkpoint at %s", ckpt)
		}
		tr, err := train.Resume(b, ckpt, set)
		if err != nil || !f.given["steps"] || f.steps == tr.Opt.Steps {
			return tr, err
		}
		if f.steps < tr.Step {
			return nil, fmt.Errorf("-resume -steps %d: the checkpoint is already at step %d", f.steps, tr.Step)
		}
		fmt.Fprintf(progress.Stderr.Notes(), "the run now ends at step %d instead of %d; the learning-rate schedule stretches from here on\n", f.steps, tr.Opt.Steps)
		tr.Opt.Steps = f.steps
		return tr, nil
	}
	opt := train.DefaultOptions(f.steps)
	opt.Batch, opt.Seed, opt.Optimizer = f.batch, f.seed, f.optimizer
	if f.aeWarmup >= 0 {
		opt.AEWarmup = f.aeWarmup
	}
	if f.lr > 0 {
		opt.LR = f.lr
	}
	m, err := model(b, f)
	if err != nil {
		return nil, err
	}
	return train.New(b, m, set, opt)
}

// model is a new model of the -config preset with the flags' changes, or with -init the
// model in that weight file.
func model(b tensor.Backend, f flags) (*gen.Model, error) {
	if f.init != "" {
		return initModel(b, f)
	}
	if f.freshRefiner {
		return nil, fmt.Errorf("-fresh-refiner keeps the autoencoder of -init's file; without -init the whole model is fresh")
	}
	cfg, err := config.Preset(f.config)
	if err != nil {
		return nil, err
	}
	if f.latent > 0 {
		cfg.Latent = f.latent
	}
	if cfg, err = trainingChoices(cfg, f); err != nil {
		return nil, err
	}
	return gen.New(b, cfg, f.seed)
}

// initModel is the model of -init's file with -latent (wider latents only), -fresh-refiner
// and the training choices of the flags applied.
func initModel(b tensor.Backend, f flags) (*gen.Model, error) {
	file, err := weights.ReadFile(f.init, weights.DefaultLimits)
	if err != nil {
		return nil, err
	}
	m, err := gen.Open(b, file)
	if err != nil {
		return nil, fmt.Errorf("-init %s: %w", f.init, err)
	}
	if f.latent > 0 && f.latent != m.Cfg.Latent {
		w, err := gen.Widen(b, m, f.latent, f.seed)
		m.Free(b)
		if err != nil {
			return nil, fmt.Errorf("-init %s -latent %d: %w", f.init, f.latent, err)
		}
		m = w
	}
	cfg, err := trainingChoices(m.Cfg, f)
	if err == nil {
		err = m.SetTraining(cfg)
	}
	if err == nil && f.freshRefiner {
		_, err = m.Params.Reinit(b, f.seed, refiner.ParamPrefix)
	}
	if err != nil {
		m.Free(b)
		return nil, err
	}
	return m, nil
}

// trainingChoices applies -ratio, -alpha-max, -latent-weight and -time to cfg.
func trainingChoices(cfg config.Config, f flags) (config.Config, error) {
	if f.ratio >= 0 {
		cfg.Ratio = f.ratio
	}
	if f.alphaMax > 0 {
		cfg.AlphaMax, cfg.AlphaMixMax = f.alphaMax, min(89, f.alphaMax+5)
	}
	if f.latentWeight > 0 {
		cfg.LatentWeight = f.latentWeight
	}
	if f.timeDist != "" {
		cfg.TimeDist = f.timeDist
	}
	return cfg, cfg.Validate()
}
