package sphere

import (
	"math/rand/v2"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// preset returns a named configuration or fails the test.
func preset(t testing.TB, name string) config.Config {
	t.Helper()
	c, err := config.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// micro is smaller than tiny, for float64 finite differences: an 8×8 image in 2×2 patches
// of 4 px, width 8 in 2 heads, one block on each side, one mixer layer, L = 8.
func micro(t testing.TB) config.Config {
	c := preset(t, "tiny")
	c.Name, c.Image, c.Patch = "micro", 8, 4
	c.Width, c.Heads, c.Hidden = 8, 2, 8
	c.EncBlocks, c.DecBlocks = 1, 1
	c.MixerLayers, c.MixerTokenHidden, c.MixerChannelHidden = 1, 6, 5
	c.Latent = 2
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// rig is an autoencoder with one training step and a batch of synthetic images on a backend.
type rig struct {
	cfg   config.Config
	set   *nn.ParamSet
	ae    *AE
	st    *Step
	x     *tensor.Tensor // [batch, Channels, Image, Image]
	batch int
}

// newRig builds the autoencoder of cfg on b with parameters drawn from seed; with random,
// every parameter is overwritten with N(0, 0.5²) values (not the zero inits), so that every
// gradient path carries signal. The direction e is filled from seed.
func newRig(b tensor.Backend, cfg config.Config, batch int, seed uint64, random bool) *rig {
	r := &rig{cfg: cfg, set: &nn.ParamSet{}, batch: batch}
	r.ae = New(r.set, cfg)
	r.set.Allocate(b, seed)
	if random {
		rng := rand.New(rand.NewPCG(seed, 17))
		for _, p := range r.set.List {
			v := make([]float32, tensor.Numel(p.Shape))
			for i := range v {
				v[i] = float32(0.5 * rng.NormFloat64())
			}
			b.Upload(p.Value, v)
		}
	}
	r.st = r.ae.NewStep(b, batch)
	r.x = b.New(batch, cfg.Channels, cfg.Image, cfg.Image)
	b.Upload(r.x, synthImages(cfg, batch, seed))
	b.Rand(r.st.Direction(), batch*cfg.L(), seed, 0, tensor.Normal)
	return r
}

// free releases everything the rig allocated on b.
func (r *rig) free(b tensor.Backend) {
	r.st.Free(b)
	r.ae.FreeScratch(b)
	r.set.Free(b)
	b.Free(r.x)
}

// synthImages draws n images [n, Channels, Image, Image] in [-1, 1]: a horizontal ramp
// between two random colours with a square of a third colour at a random place and size.
func synthImages(cfg config.Config, n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 99))
	s, ch := cfg.Image, cfg.Channels
	out := make([]float32, n*ch*s*s)
	colour := func() []float64 {
		c := make([]float64, ch)
		for i := range c {
			c[i] = 2*rng.Float64() - 1
		}
		return c
	}
	for k := range n {
		left, right, square := colour(), colour(), colour()
		size := s/4 + rng.IntN(s/2)
		top, side := rng.IntN(s-size+1), rng.IntN(s-size+1)
		for c := range ch {
			for y := range s {
				for x := range s {
					f := float64(x) / float64(s-1)
					v := (1-f)*left[c] + f*right[c]
					if y >= top && y < top+size && x >= side && x < side+size {
						v = square[c]
					}
					out[((k*ch+c)*s+y)*s+x] = float32(v)
				}
			}
		}
	}
	return out
}

// fixedNoise is a deterministic Noise for batch samples spanning small and large angles.
func fixedNoise(cfg config.Config, batch int) Noise {
	return DrawNoise(cfg, rand.New(rand.NewPCG(5, 5)), batch)
}

// rowSums sums each row of a [rows, cols] host array.
func rowSums(v []float32, rows int) []float64 {
	cols := len(v) / rows
	s := make([]float64, rows)
	for r := range rows {
		for _, x := range v[r*cols : (r+1)*cols] {
			s[r] += float64(x)
		}
	}
	return s
}
