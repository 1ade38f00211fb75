package perf

import (
	"fmt"
	"math/rand/v2"

	"flowsphere/model/config"
	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/model/train"
)

// StepShape is a training-step workload: one Trainer step of a config preset at a batch
// size, in the joint phase (autoencoder and refiner), on random images.
type StepShape struct {
	Config string
	Batch  int
}

// SmallStep is the step the CPU-path targets are stated for: the small config at the
// trainer's default batch of 32 (train.DefaultOptions).
var SmallStep = StepShape{Config: "small", Batch: 32}

// SmallFineTune is the small config at batch 8, a fine-tuning step in the app, where a fast
// GPU may be bound by dispatches rather than arithmetic.
var SmallFineTune = StepShape{Config: "small", Batch: 8}

// Name is the workload's label, e.g. "small/b16".
func (s StepShape) Name() string { return fmt.Sprintf("%s/b%d", s.Config, s.Batch) }

// Step prepares s on b. Its FLOPs are the model FLOPs of one step, counted by running the
// first (warm-up) step on a FLOPCounter around b; Images is the batch; Work, on a backend
// that counts its work, that of one step.
func Step(b tensor.Backend, s StepShape) (*Workload, error) {
	cfg, err := config.Preset(s.Config)
	if err != nil {
		return nil, err
	}
	counter := &FLOPCounter{Backend: b}
	m, err := gen.New(counter, cfg, 1)
	if err != nil {
		return nil, err
	}
	opt := train.DefaultOptions(1 << 20)
	opt.Batch, opt.AEWarmup = s.Batch, 0
	tr, err := train.New(counter, m, randomImages(2*s.Batch, cfg.Image), opt)
	if err != nil {
		m.Free(b)
		return nil, err
	}
	counter.FLOPs = 0
	tr.TrainStep()
	if _, err := tr.Report(); err != nil {
		tr.Free()
		m.Free(b)
		return nil, err
	}
	w := &Workload{FLOPs: counter.FLOPs, Images: s.Batch, b: b, sync: b.New(1), Run: tr.TrainStep}
	w.Free = func() {
		tr.Free()
		m.Free(b)
		b.Free(w.sync)
	}
	if err := w.countWork(); err != nil {
		w.Free()
		return nil, err
	}
	return w, nil
}

// randomImages is a training set of n uniformly random RGB images of size×size.
func randomImages(n, size int) *data.Set {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(size)))
	s := &data.Set{Name: "random", Size: size}
	for range n {
		px := make([]uint8, 3*size*size)
		for i := range px {
			px[i] = uint8(rng.Uint32())
		}
		s.Train = append(s.Train, data.Image{Pixels: px, Label: -1})
	}
	return s
}
