package train

import (
	"flowsphere/model/gen"
	"flowsphere/model/prior"
)

// priorBatch is the encoder's batch while fitting a prior.
const priorBatch = 64

// FitPrior fits the sphere prior of m — a model of the trainer's config holding the weights
// to sample with, usually a copy of the EMA — to the encodings of n of the training images,
// spread evenly over the split; it returns the fit's mean log-likelihood per point.
func (t *Trainer) FitPrior(m *gen.Model, n int, o prior.FitOptions) (float64, error) {
	all := len(t.Data.Train)
	n = max(1, min(n, all))
	fill := func(dst []float32, from, to int) {
		idx := make([]int, to-from)
		for i := range idx {
			idx[i] = (from + i) * all / n
		}
		t.Data.Batch(dst, idx, true)
	}
	return m.FitPrior(t.B, n, priorBatch, fill, o, nil)
}
