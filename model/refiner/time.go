package refiner

import (
	"math"
	"math/rand/v2"

	"flowsphere/model/config"
)

// Time embedding and time distribution constants.
const (
	// timeScale multiplies t ∈ [0, 1] before the sinusoids, as DiT feeds timesteps in
	// [0, 1000): with max period 10000 the raw t would only turn the first few frequencies
	// (JiT feeds the raw t), while t·1000 spreads one period of the fastest frequency over
	// Δt ≈ 0.006 and keeps the slowest ones near-linear in t.
	timeScale = 1000
	// timeMaxPeriod is the longest period of the sinusoids (DiT, JiT).
	timeMaxPeriod = 10000
	// logitMean, logitStd parameterise JiT's logit-normal t = sigmoid(N(−0.8, 0.8²)),
	// biased toward the noisy end t = 0.
	logitMean, logitStd = -0.8, 0.8
)

// TimeEmbedding returns DiT's sinusoidal features of each t, row-major [len(t), dim]:
// row b is [cos(s·f_0) … cos(s·f_{h−1}) ‖ sin(s·f_0) … sin(s·f_{h−1})] with s = 1000·t[b],
// h = dim/2 and f_i = 10000^(−i/h). dim must be even.
func TimeEmbedding(t []float32, dim int) []float32 {
	if dim%2 != 0 {
		panic("refiner: odd time embedding width")
	}
	half := dim / 2
	out := make([]float32, len(t)*dim)
	for b, tb := range t {
		row := out[b*dim : (b+1)*dim]
		for i := range half {
			arg := timeScale * float64(tb) * math.Exp(-math.Log(timeMaxPeriod)*float64(i)/float64(half))
			row[i] = float32(math.Cos(arg))
			row[half+i] = float32(math.Sin(arg))
		}
	}
	return out
}

// DrawTimes draws batch training times t ∈ [0, 1): uniform, or JiT's logit-normal
// sigmoid(N(−0.8, 0.8²)) when cfg.TimeDist is "logit-normal".
func DrawTimes(cfg config.Config, rng *rand.Rand, batch int) []float32 {
	t := make([]float32, batch)
	for i := range t {
		if cfg.TimeDist == "logit-normal" {
			t[i] = float32(1 / (1 + math.Exp(-(logitMean + logitStd*rng.NormFloat64()))))
		} else {
			t[i] = rng.Float32()
		}
	}
	return t
}
