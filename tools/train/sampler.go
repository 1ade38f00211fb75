package main

import (
	"flowsphere/model/config"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/model/train"
	"flowsphere/tools/internal/samples"
)

// Sample grids use a fixed seed and refinement steps, so grids of a run are comparable.
const (
	sampleSeed  = 1
	sampleSteps = 4
)

// sampler draws sample grids from a copy of the model holding the EMA weights.
type sampler struct {
	m *gen.Model
	g *gen.Generator
}

func newSampler(b tensor.Backend, cfg config.Config, n int) (*sampler, error) {
	m, err := gen.New(b, cfg, 0)
	if err != nil {
		return nil, err
	}
	return &sampler{m: m, g: m.NewGenerator(b, n)}, nil
}

// grid writes AE decode and refined sample side by side, from the trainer's current EMA.
func (s *sampler) grid(b tensor.Backend, tr *train.Trainer, path string) error {
	b.Copy2D(s.m.Params.Values, tr.EMA(), 1, s.m.Params.Size, 0, 0, 0, 0, false)
	dec, ref, err := s.g.Generate(b, sampleSeed, sampleSteps, false)
	if err != nil {
		return err
	}
	return samples.WritePairs(path, dec, ref, s.m.Cfg.Image, 4)
}

func (s *sampler) free(b tensor.Backend) {
	s.g.Free(b)
	s.m.Free(b)
}
