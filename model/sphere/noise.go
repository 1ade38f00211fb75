package sphere

import (
	"math"
	"math/rand/v2"

	"flowsphere/model/config"
	"flowsphere/model/tensor"
)

// Noise holds one step's per-sample noise scales (host side, uploaded by Forward).
type Noise struct {
	SigmaSmall []float32 // [batch] σ_small = U[0, SmallNoise]·σ
	SigmaBig   []float32 // [batch] σ = tan α
}

// DrawNoise draws the training noise of DESIGN.md §4.2 for batch samples: the angle α (degrees)
// is U[0, AlphaMax], or U[AlphaMax, AlphaMixMax] with probability MixProb (the overflow band
// that keeps the latents from collapsing near the equator); σ = tan α; σ_small =
// U[0, SmallNoise]·σ. For a sphere point v of norm sqrt(L) and a random direction e, the
// angle between v and v + σ·e is close to α in high dimension.
func DrawNoise(cfg config.Config, rng *rand.Rand, batch int) Noise {
	n := Noise{SigmaSmall: make([]float32, batch), SigmaBig: make([]float32, batch)}
	for i := range batch {
		alpha := rng.Float64() * cfg.AlphaMax
		if rng.Float64() < cfg.MixProb {
			alpha = cfg.AlphaMax + rng.Float64()*(cfg.AlphaMixMax-cfg.AlphaMax)
		}
		sigma := math.Tan(alpha * math.Pi / 180)
		n.SigmaBig[i] = float32(sigma)
		n.SigmaSmall[i] = float32(rng.Float64() * cfg.SmallNoise * sigma)
	}
	return n
}

// perturb writes n.v = spherify(v + σ·e) for both halves, keeping n.u = v + σ·e and
// n.rstd = 1/rms(n.u) for the backward: v and e are copied into both halves (a source
// stride of 0) and noised row by row with n.sigma. v, e: [rows, cols]; n's tensors hold
// 2·rows rows.
func (n *noised) perturb(b tensor.Backend, v, e *tensor.Tensor, rows, cols int) {
	b.Copy2D(n.u, v, 2, rows*cols, 0, rows*cols, 0, 0, false)
	b.Copy2D(n.e, e, 2, rows*cols, 0, rows*cols, 0, 0, false)
	b.RowAxpby(n.u, n.e, n.sigma, n.ones, 2*rows, cols)
	b.Spherify(n.v, n.rstd, n.u, 2*rows, cols)
}
