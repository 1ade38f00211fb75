package sphere

import (
	"math/rand/v2"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
)

// curve is the per-step loss history of a training run: the three rows of Losses summed
// over the batch.
type curve [][numLosses]float64

// mean averages row over steps [from, to) (negative indices count from the end).
func (c curve) mean(row, from, to int) float64 {
	if from < 0 {
		from += len(c)
	}
	if to <= 0 {
		to += len(c)
	}
	s := 0.0
	for _, l := range c[from:to] {
		s += l[row]
	}
	return s / float64(to-from)
}

// total is the whole loss at step i.
func (c curve) total(i int) float64 { return c[i][lossRecon] + c[i][lossPixel] + c[i][lossLatent] }

// train runs steps of plain AdamW (β 0.9/0.95, no weight decay, no clipping) over the
// parameter arena, cycling through batches (host images [batch, Channels, Image, Image]),
// with fresh noise every step.
func train(t *testing.T, b tensor.Backend, r *rig, batches [][]float32, steps int, lr float32) curve {
	t.Helper()
	m, v := b.New(r.set.Size), b.New(r.set.Size)
	defer b.Free(m)
	defer b.Free(v)
	rng := rand.New(rand.NewPCG(4, 4))
	var c curve
	for step := 1; step <= steps; step++ {
		b.Upload(r.x, batches[step%len(batches)])
		noise := DrawNoise(r.cfg, rng, r.batch)
		b.Rand(r.st.Direction(), r.batch*r.cfg.L(), 42, uint64(step), tensor.Normal)
		r.set.ZeroGrads(b)
		r.ae.SetNoise(b, r.st, noise)
		r.ae.Forward(b, r.st, r.x)
		r.ae.Backward(b, r.st, nil)
		b.AdamW(r.set.Values, r.set.Grads, m, v, nil, r.set.Size, lr, 0.9, 0.95, 1e-8, 0, step)
		c = append(c, [numLosses]float64(rowSums(tensortest.Download(t, b, r.st.Losses()), numLosses)))
	}
	return c
}

// TestLossGoesDown trains the tiny config on 16 synthetic images in batches of 4: within
// 40 steps the mean total loss of the last 5 steps must be below 60% of the first 5.
func TestLossGoesDown(t *testing.T) {
	const batch, images, steps = 4, 16, 40
	b := cpu.New()
	cfg := preset(t, "tiny")
	r := newRig(b, cfg, batch, 1, false)
	data := synthImages(cfg, images, 11)
	per := batch * cfg.Pixels()
	var batches [][]float32
	for i := 0; i < images; i += batch {
		batches = append(batches, data[i*cfg.Pixels():][:per])
	}
	c := train(t, b, r, batches, steps, 3e-3)
	first, last := 0.0, 0.0
	for i := range 5 {
		first += c.total(i) / 5
		last += c.total(steps-1-i) / 5
	}
	t.Logf("total loss: first 5 steps %.4f, last 5 steps %.4f", first, last)
	if !(last < 0.6*first) {
		t.Errorf("total loss went from %.4f to %.4f in %d steps, want below 60%%", first, last, steps)
	}
}

// TestOverfitBatch trains the tiny config on one batch of 4 images: within 200 steps the
// reconstruction loss (mean of the last 10 steps) must fall 5× below its start (the first
// step, at the initial parameters). Predicting the batch's mean image only gets ~3× (the
// plateau near step 20): the decoder has to use the latent.
func TestOverfitBatch(t *testing.T) {
	const batch, steps = 4, 200
	b := cpu.New()
	cfg := preset(t, "tiny")
	r := newRig(b, cfg, batch, 2, false)
	c := train(t, b, r, [][]float32{synthImages(cfg, batch, 12)}, steps, 1e-2)
	first, last := c.mean(lossRecon, 0, 1), c.mean(lossRecon, -10, 0)
	t.Logf("reconstruction loss: first step %.4f, last 10 steps %.4f (%.1f×)", first, last, first/last)
	if !(last*5 <= first) {
		t.Errorf("reconstruction loss went from %.4f to %.4f in %d steps, want a 5× drop", first, last, steps)
	}
}
