package classifier

import (
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// Classifier is the network on one backend.
type Classifier struct {
	Cfg        Config
	Dataset    string   // the dataset it was trained on
	ClassNames []string // its classes' names, by label
	Params     *nn.ParamSet
	embed      *nn.Linear // PatchDim→Embed, per patch
	hidden     *nn.Linear // Tokens·Embed→Hidden
	head       *nn.Linear // Hidden→Classes
}

// New builds a freshly initialised classifier on b, with no dataset yet; seed draws the
// initial weights.
func New(b tensor.Backend, cfg Config, seed uint64) (*Classifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Classifier{Cfg: cfg, Params: &nn.ParamSet{}}
	flat := cfg.Tokens() * cfg.Embed
	c.embed = nn.NewLinear(c.Params, "embed", cfg.PatchDim(), cfg.Embed, true, nn.InitLinear(cfg.PatchDim()))
	c.hidden = nn.NewLinear(c.Params, "hidden", flat, cfg.Hidden, true, nn.InitLinear(flat))
	c.head = nn.NewLinear(c.Params, "head", cfg.Hidden, cfg.Classes, true, nn.InitLinear(cfg.Hidden))
	c.Params.Allocate(b, seed)
	return c, nil
}

// Free releases the parameters.
func (c *Classifier) Free(b tensor.Backend) { c.Params.Free(b) }
