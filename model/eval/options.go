package eval

import (
	"fmt"

	"flowsphere/model/data"
)

// ConfidentAt is the smallest top-class probability that counts as a confident label.
const ConfidentAt = 0.9

// ManifoldK is the neighbour count of the precision and recall manifolds (Kynkäänniemi et
// al. use 3).
const ManifoldK = 3

// Options configure Run.
type Options struct {
	N       int     // generated images per step count, and the most held-out images used
	Steps   []int   // refinement step counts to measure (0: AE decode only)
	Loops   int     // encode→decode loops before refining (gen.Generator.Loops); -1: the model's
	Renoise float64 // re-noise angle of each loop in degrees (gen.Generator.Renoise)
	Uniform bool    // draw uniform sphere points even when the model has a prior
	// Temperature overrides the prior's sampling temperature (0: the model's).
	Temperature float64
	Seed        uint64 // generation seed, the same for every step count
	Euler       bool   // Euler steps instead of Heun
	Batch       int    // images per generator and classifier call
	Confident   bool   // measure the share of confident labels (where classes are unambiguous, as digits are)
	Grid        int    // generated images kept per step count for sample grids
	// Progress reports the long stages (nil: silent).
	Progress data.Progress
}

// DefaultOptions are the command's defaults.
func DefaultOptions() Options {
	return Options{N: 2000, Steps: []int{0, 1, 2, 4, 8}, Loops: -1, Seed: 1, Batch: 64, Grid: 64}
}

// Validate says what is wrong with o, if anything.
func (o Options) Validate() error {
	if o.N < 2 || o.Batch < 1 || o.Grid < 0 || o.Loops < -1 || o.Renoise < 0 || o.Renoise >= 90 || o.Temperature < 0 || o.Temperature > 2 {
		return fmt.Errorf("eval: %d images (need at least 2 for a covariance), batch %d, grid %d, %d loops, re-noise %g°, temperature %g", o.N, o.Batch, o.Grid, o.Loops, o.Renoise, o.Temperature)
	}
	if len(o.Steps) == 0 {
		return fmt.Errorf("eval: no refinement step counts to measure")
	}
	for _, s := range o.Steps {
		if s < 0 {
			return fmt.Errorf("eval: negative step count %d", s)
		}
	}
	return nil
}

// stage starts reporting one stage of work, silently when there is no Progress.
func (o Options) stage(label, unit string, total int) (add func(int), done func()) {
	if o.Progress == nil {
		return func(int) {}, func() {}
	}
	return o.Progress(label, unit, total)
}
