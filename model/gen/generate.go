package gen

import (
	"math"

	"flowsphere/model/refiner"
	"flowsphere/model/sphere"
	"flowsphere/model/tensor"
)

// Noise streams of a generation seed: the sphere point, the refiner's start noise and, from
// renoiseStream on, one stream per re-noised loop.
const (
	latentStream  = 0
	imageStream   = 1
	renoiseStream = 2
)

// DefaultLoops is the number of encode→decode loops a new Generator runs before refining
// when its model names none (Model.Loops; see Generator.Loops).
const DefaultLoops = 24

// Generator samples batches of images; its buffers are allocated once for a batch size.
type Generator struct {
	// Loops is the number of encode→decode loops v ← E(D(v)) between the random sphere point
	// and the refiner (the Sphere Encoder's few-step sampling). A random point lies far from
	// every encoding of a real image; the autoencoder's latent consistency loss trains E(D(·))
	// to pull noisy points back to the clean one, so each loop moves the point towards the
	// encodings, where the decoder and the refiner were trained.
	Loops int
	// Renoise is the angle in degrees by which each loop re-noises the point it encoded
	// before decoding it, v ← spherify(E(D(v)) + tan(Renoise)·e), as the Sphere Encoder's
	// multi-step sampler does with a small constant noise; 0: plain loops.
	Renoise float64
	// Progress, when set, is called after each network pass of FromPoints (or Decode and
	// Refine) has been recorded — the first decode, each encode→decode loop, each refiner
	// call — with the passes done so far, out of Passes, so an app can show how far a slow
	// generation is. On a device backend the work may not have run yet.
	Progress func(done int)

	m       *Model
	batch   int
	g, v    *tensor.Tensor // Gaussian draw and sphere point [batch, L]
	rstd    *tensor.Tensor // [batch]
	eps     *tensor.Tensor // refiner start noise [batch, 3, H, W]
	refined *tensor.Tensor // [batch, 3, H, W]
	dec     *sphere.Decoded
	enc     *sphere.Encoded
	smp     *refiner.Sampler
	latent  *tensor.Tensor // the point the last Decode decoded, for Refine
}

// NewGenerator allocates a generator for batch images at a time.
func (m *Model) NewGenerator(b tensor.Backend, batch int) *Generator {
	c := m.Cfg
	return &Generator{
		Loops: m.Loops, m: m, batch: batch,
		g: b.New(batch, c.L()), v: b.New(batch, c.L()), rstd: b.New(batch),
		eps: b.New(batch, c.Channels, c.Image, c.Image), refined: b.New(batch, c.Channels, c.Image, c.Image),
		dec: m.AE.NewDecoded(b, batch), enc: m.AE.NewEncoded(b, batch), smp: m.Ref.NewSampler(b, batch),
	}
}

// Batch is the number of images one Generate call makes.
func (g *Generator) Batch() int { return g.batch }

// Passes is the number of network passes FromPoints makes with steps Heun steps (Euler if
// euler): the first decode, Loops encode→decode loops and the refiner calls.
func (g *Generator) Passes(steps int, euler bool) int {
	return 1 + g.Loops + refiner.PlannedCalls(steps, euler)
}

// Calls is the number of refiner evaluations the last Generate made.
func (g *Generator) Calls() int { return g.smp.Calls }

// SpherePoints draws the generator's sphere points for seed into its buffer: v =
// spherify(u) with u from the model's prior (drawn on the host) or, without one, u ~ N(0, I)
// (drawn on the device); the same points on every backend.
func (g *Generator) SpherePoints(b tensor.Backend, seed uint64) *tensor.Tensor {
	l := g.m.Cfg.L()
	if g.m.Prior != nil {
		host := make([]float32, g.batch*l)
		g.m.priorPoints(host, g.batch, seed)
		b.Upload(g.g, host)
	} else {
		b.Rand(g.g, g.batch*l, seed, latentStream, tensor.Normal)
	}
	b.Spherify(g.v, g.rstd, g.g, g.batch, l)
	return g.v
}

// Generate makes one batch from seed: the AE decode of random sphere points (after Loops
// encode→decode loops) and its refinement in steps Heun steps (0: AE decode only). It returns
// both as [batch][3·H·W] images in [-1, 1] (clamped).
func (g *Generator) Generate(b tensor.Backend, seed uint64, steps int, euler bool) (decoded, refined [][]float32, err error) {
	return g.FromPoints(b, g.SpherePoints(b, seed), seed, steps, euler)
}

// batchSeedStep separates the seeds of successive batches of Sample (the golden ratio in
// 64 bits, so they never collide for any practical count).
const batchSeedStep = 0x9e3779b97f4a7c15

// Sample makes n images in batches of the generator's size, batch k from seed
// seed + k·batchSeedStep, so a larger n starts with the images of a smaller one. It returns
// the AE decodes and their refinements in steps Heun steps (Euler if euler), each as
// [n][3·H·W] in [-1, 1], and calls add (if not nil) with the images of each finished batch.
func (g *Generator) Sample(b tensor.Backend, seed uint64, n, steps int, euler bool, add func(int)) (decoded, refined [][]float32, err error) {
	for k := uint64(0); len(refined) < n; k++ {
		dec, ref, err := g.Generate(b, seed+k*batchSeedStep, steps, euler)
		if err != nil {
			return nil, nil, err
		}
		m := min(len(ref), n-len(refined))
		decoded, refined = append(decoded, dec[:m]...), append(refined, ref[:m]...)
		if add != nil {
			add(m)
		}
	}
	return decoded, refined, nil
}

// FromPoints decodes (with Loops encode→decode loops) and refines given sphere points
// v: [batch, L] (for latent walks and neighbours); v itself is not changed. seed draws the
// refiner's start noise.
func (g *Generator) FromPoints(b tensor.Backend, v *tensor.Tensor, seed uint64, steps int, euler bool) (decoded, refined [][]float32, err error) {
	if decoded, err = g.Decode(b, v, seed); err != nil {
		return nil, nil, err
	}
	refined, err = g.Refine(b, seed, steps, euler)
	return decoded, refined, err
}

// Decode is FromPoints' first half: it decodes v: [batch, L] with Loops encode→decode loops
// and returns the decodes as [batch][3·H·W] in [-1, 1] (clamped), which an app can show
// while Refine, called next, refines them.
func (g *Generator) Decode(b tensor.Backend, v *tensor.Tensor, seed uint64) ([][]float32, error) {
	g.latent = g.Project(b, v, seed)
	return images(b, g.dec.Image(), g.batch, g.m.Cfg.Pixels())
}

// Refine refines the last Decode's images in steps Heun steps (Euler if euler), with the
// refiner's start noise drawn from seed, and returns them as [batch][3·H·W] in [-1, 1]
// (clamped).
func (g *Generator) Refine(b tensor.Backend, seed uint64, steps int, euler bool) ([][]float32, error) {
	c := g.m.Cfg
	b.Rand(g.eps, g.batch*c.Pixels(), seed, imageStream, tensor.Normal)
	g.smp.Steps, g.smp.Euler = steps, euler
	if g.Progress != nil {
		g.smp.AfterCall = func(calls int) { g.Progress(1 + g.Loops + calls) }
		defer func() { g.smp.AfterCall = nil }()
	}
	g.m.Ref.Sample(b, g.smp, g.refined, g.dec.Image(), g.dec.Hidden(), g.latent, g.eps)
	return images(b, g.refined, g.batch, c.Pixels())
}

// Project decodes sphere points v: [batch, L] with Loops encode→decode loops (re-noised from
// seed's streams when Renoise is set) and returns the last point decoded, [batch, L] (v itself
// when Loops is 0; otherwise a generator buffer, valid until its next call).
func (g *Generator) Project(b tensor.Backend, v *tensor.Tensor, seed uint64) *tensor.Tensor {
	l := g.m.Cfg.L()
	sigma := float32(math.Tan(g.Renoise * math.Pi / 180))
	g.m.AE.Decode(b, g.dec, v)
	g.report(1)
	for k := range g.Loops {
		g.m.AE.Encode(b, g.enc, g.dec.Image())
		v = g.enc.V()
		if g.Renoise > 0 { // g.g and g.v are free once the first decode has read v
			b.Rand(g.g, g.batch*l, seed, renoiseStream+uint64(k), tensor.Normal)
			b.Axpby(g.g, v, 1, sigma)
			b.Spherify(g.v, g.rstd, g.g, g.batch, l)
			v = g.v
		}
		g.m.AE.Decode(b, g.dec, v)
		g.report(2 + k)
	}
	return v
}

// report calls Progress, if set, with the passes done.
func (g *Generator) report(done int) {
	if g.Progress != nil {
		g.Progress(done)
	}
}

// images downloads a batch and clamps it to [-1, 1]. t: [batch, pixels].
func images(b tensor.Backend, t *tensor.Tensor, batch, pixels int) ([][]float32, error) {
	flat, err := b.Download(t)
	if err != nil {
		return nil, err
	}
	out := make([][]float32, batch)
	for i := range out {
		img := flat[i*pixels : (i+1)*pixels]
		for j, v := range img {
			img[j] = min(1, max(-1, v))
		}
		out[i] = img
	}
	return out, nil
}

// Free releases the generator's buffers.
func (g *Generator) Free(b tensor.Backend) {
	for _, t := range []*tensor.Tensor{g.g, g.v, g.rstd, g.eps, g.refined} {
		b.Free(t)
	}
	g.dec.Free(b)
	g.enc.Free(b)
	g.smp.Free(b)
}
