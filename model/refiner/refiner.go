package refiner

import (
	"strconv"

	"flowsphere/model/config"
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// ParamPrefix starts the name of every refiner parameter.
const ParamPrefix = "refiner."

// normEps is the epsilon of the final RMSNorm (the blocks use the same value).
const normEps = 1e-6

// segEmbInit is the initialisation of the learned segment embeddings.
var segEmbInit = nn.Init{Kind: nn.Normal, Scale: 0.02}

// The three segments of the refiner's sequence, in order.
const (
	segLatent  = iota // the latent v as T tokens of width Latent
	segDecoder        // the autoencoder decoder's hidden tokens (detached)
	segImage          // patches of the current image x_t
	segments
)

// Refiner is the flow refiner: a DiT over [latent ‖ decoder ‖ image] tokens of T tokens each,
// with adaLN-Zero on the time t, reading out the image tokens as an x-prediction x̂.
type Refiner struct {
	Cfg config.Config
	// Time1, Time2 are the time MLP TimeDim→E→E; cond = SiLU(Time2(SiLU(Time1(emb(t))))).
	Time1, Time2 *nn.Linear
	// Blocks are the RefBlocks transformer blocks with adaLN (Cond = E).
	Blocks []*nn.Block
	// FinalMod is the zero-initialised E→2E linear giving the final layer's shift and scale.
	FinalMod *nn.Linear
	// Out is the zero-initialised E→PatchDim output projection (DESIGN.md §4.3).
	Out *nn.Linear

	segs    [segments]*segment
	scratch map[int]*gradScratch // backward temporaries per batch size
}

// New declares the refiner's parameters in s (names start with ParamPrefix).
func New(s *nn.ParamSet, cfg config.Config) *Refiner {
	e := cfg.Width
	r := &Refiner{
		Cfg:     cfg,
		Time1:   nn.NewLinear(s, ParamPrefix+"time1", cfg.TimeDim, e, true, nn.InitLinear(cfg.TimeDim)),
		Time2:   nn.NewLinear(s, ParamPrefix+"time2", e, e, true, nn.InitLinear(e)),
		scratch: map[int]*gradScratch{},
	}
	ins := [segments]struct {
		name string
		in   int
	}{{"latent", cfg.Latent}, {"decoder", e}, {"image", cfg.PatchDim()}}
	for i, in := range ins {
		r.segs[i] = newSegment(s, ParamPrefix+in.name, in.in, e, i)
	}
	bc := nn.BlockConfig{Width: e, Heads: cfg.Heads, Hidden: cfg.Hidden, GridH: cfg.Grid(), GridW: cfg.Grid(), Cond: e, Base: cfg.RoPEBase}
	for i := range cfg.RefBlocks {
		r.Blocks = append(r.Blocks, nn.NewBlock(s, ParamPrefix+"block"+strconv.Itoa(i), bc))
	}
	r.FinalMod = nn.NewLinear(s, ParamPrefix+"final_mod", e, 2*e, true, nn.InitZeros)
	r.Out = nn.NewLinear(s, ParamPrefix+"out", e, cfg.PatchDim(), true, nn.InitZeros)
	return r
}

// Free releases the backward temporaries (parameters belong to the ParamSet).
func (r *Refiner) Free(b tensor.Backend) {
	for _, blk := range r.Blocks {
		blk.FreeScratch(b)
	}
	for batch, s := range r.scratch {
		s.all.free(b)
		delete(r.scratch, batch)
	}
}
