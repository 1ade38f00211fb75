package gen

import (
	"fmt"

	"flowsphere/model/config"
	"flowsphere/model/nn"
	"flowsphere/model/prior"
	"flowsphere/model/refiner"
	"flowsphere/model/sphere"
	"flowsphere/model/tensor"
)

// Model is the generator on one backend.
type Model struct {
	Cfg    config.Config
	Params *nn.ParamSet // every parameter of AE and refiner in one arena
	AE     *sphere.AE
	Ref    *refiner.Refiner
	// Loops is the number of encode→decode loops the model's generators run before refining,
	// kept in its weight file (LoopsKey; DefaultLoops for new models and files without one).
	// Each model has its own best count.
	Loops int
	// Prior, when set, is the distribution the generators draw sphere points from, sampled at
	// Temperature; nil draws uniform points v = spherify(N(0, I)). Both live in the weight file.
	Prior       *prior.Mixture
	Temperature float64
}

// New builds a freshly initialised model on b; seed draws the initial weights.
func New(b tensor.Backend, cfg config.Config, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Cfg: cfg, Params: &nn.ParamSet{}, Loops: DefaultLoops, Temperature: DefaultTemperature}
	m.AE = sphere.New(m.Params, cfg)
	m.Ref = refiner.New(m.Params, cfg)
	m.Params.Allocate(b, seed)
	return m, nil
}

// Free releases the parameters.
func (m *Model) Free(b tensor.Backend) { m.Params.Free(b) }

// SetTraining replaces the model's training choices (config.Config.SameShapes: noise, loss
// weights, coupling, time distribution), so that a model loaded from a file can continue
// training with others; the architecture must stay.
func (m *Model) SetTraining(cfg config.Config) error {
	if !cfg.SameShapes(m.Cfg) {
		return fmt.Errorf("gen: config %q changes the architecture of %q", cfg.Name, m.Cfg.Name)
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	m.Cfg, m.AE.Cfg, m.Ref.Cfg = cfg, cfg, cfg
	return nil
}
