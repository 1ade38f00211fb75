package torch

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/model/perf"
	"flowsphere/model/prior"
	"flowsphere/model/sphere"
	"flowsphere/model/tensor"
	"flowsphere/model/train"
	"flowsphere/weights"
)

// fixtureCase sizes a parity fixture.
type fixtureCase struct {
	config string
	batch  int
	times  []float32 // the refiner's training times, one per image (some past 1−TEps, where the clamp acts)
	loops  int       // encode→decode loops of the generator
	steps  int       // sampler steps
}

// reference is what the Go float64 backend computed on a fixture.
type reference struct {
	losses  [4]float64           // recon, pixel, latent, flow
	grads   map[string][]float64 // by parameter name
	shapes  map[string][]int
	samples map[string][]float32 // "heun/decoded", … as the generator returns them: [batch·pixels]
	start   map[string][]float64 // the weights of the fixture
	params  map[string][]float64 // after the optimiser steps
	ema     map[string][]float64
	flops   float64 // the step's model FLOPs, counted by perf.FLOPCounter
	names   []string
	opt     train.Options
}

// Fixture file names in the test's folder.
const (
	modelFile  = "model" + weights.Ext
	inputsFile = "inputs" + weights.Ext
	gradsFile  = "grads.safetensors" // Go's gradients, for the twin's optimiser steps
)

// optimiserSteps are the step numbers of the two optimiser steps the fixture takes: inside
// the warmup and after it, so both schedule branches and the bias corrections count.
var optimiserSteps = []int{1, 7}

// buildFixture writes a fixture for c into dir and computes its reference on the float64
// backend: random weights (every one non-zero, so every gradient is), a batch, its noise and
// times, a sampler start, and the model file with a loop count and a sphere prior.
func buildFixture(t *testing.T, dir string, c fixtureCase) reference {
	t.Helper()
	cfg, err := config.Preset(c.config)
	if err != nil {
		t.Fatal(err)
	}
	counter := &perf.FLOPCounter{Backend: cpu.New64()}
	b := tensor.Backend(counter)
	m, err := gen.New(b, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Free(b)
	rng := rand.New(rand.NewPCG(uint64(len(c.config)), uint64(c.batch)))
	randomize(b, m, rng)
	m.Loops = c.loops
	m.Prior = testPrior(t, cfg.L(), rng)

	ref := reference{grads: map[string][]float64{}, shapes: map[string][]int{}, samples: map[string][]float32{}, start: map[string][]float64{}, params: map[string][]float64{}, ema: map[string][]float64{}}
	for _, p := range m.Params.List {
		ref.names = append(ref.names, p.Name)
		ref.start[p.Name] = append([]float64(nil), p.Value.Host64...)
	}
	f, err := m.ToFile(b, m.Params.Values, map[string]string{"dataset": "parity"})
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, modelFile), f)

	in := &weights.File{Metadata: map[string]string{}}
	add := func(name string, data []float32, shape ...int) {
		in.Tensors = append(in.Tensors, weights.Tensor{Name: name, Shape: shape, Data: data})
	}
	bsz, l, px := c.batch, cfg.L(), cfg.Pixels()
	img := []int{bsz, cfg.Channels, cfg.Image, cfg.Image}
	x, e, eps := uniform(rng, bsz*px), normal(rng, bsz*l), normal(rng, bsz*px)
	noise := sphere.DrawNoise(cfg, rng, bsz)
	noise.SigmaBig[0] = float32(math.Tan(82 * math.Pi / 180)) // one in the overflow band
	add("x", x, img...)
	add("direction", e, bsz, l)
	add("sigma_small", noise.SigmaSmall, bsz)
	add("sigma_big", noise.SigmaBig, bsz)
	add("eps", eps, img...)
	add("t", c.times, bsz)

	ref.losses, ref.flops = step(t, counter, m, x, e, eps, noise, c.times, ref)
	sampleStart(t, b, m, c, ref, add)
	ref.opt = train.DefaultOptions(12)
	ref.opt.Warmup = 5
	optimise(t, b, m, ref)
	opts, err := json.Marshal(ref.opt)
	if err != nil {
		t.Fatal(err)
	}
	steps, _ := json.Marshal(optimiserSteps)
	in.Metadata["options"], in.Metadata["optimiser_steps"] = string(opts), string(steps)
	in.Metadata["sample_steps"] = strconv.Itoa(c.steps)
	write(t, filepath.Join(dir, inputsFile), in)
	writeF64(t, filepath.Join(dir, gradsFile), ref.names, ref.shapes, ref.grads)
	return ref
}

// randomize moves every parameter off its initialisation: gains and biases by N(0, 0.1²),
// matrices by N(0, 0.25/fanIn), so that zero-initialised layers take part too.
func randomize(b tensor.Backend, m *gen.Model, rng *rand.Rand) {
	host, _ := b.Download(m.Params.Values)
	for i, v := range m.Params.Split(host) {
		p := m.Params.List[i]
		scale := 0.1
		if len(p.Shape) == 2 {
			scale = 0.5 / math.Sqrt(float64(p.Shape[1]))
		}
		for j := range v {
			v[j] += float32(rng.NormFloat64() * scale)
		}
	}
	b.Upload(m.Params.Values, host)
}

// testPrior is a small mixture fitted to random points of R^l, for the file's prior tensors.
func testPrior(t *testing.T, l int, rng *rand.Rand) *prior.Mixture {
	t.Helper()
	points := make([][]float32, 40)
	for i := range points {
		points[i] = normal(rng, l)
	}
	mix, _, err := prior.Fit(points, prior.FitOptions{Rank: 4, Components: 2, Iterations: 3, Shrink: 0.05, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return mix
}

// step runs the training step's passes (train.Trainer.TrainStep before the optimiser) and
// fills ref.grads; it returns the four losses and the step's model FLOPs.
func step(t *testing.T, counter *perf.FLOPCounter, m *gen.Model, x, e, eps []float32, noise sphere.Noise, times []float32, ref reference) ([4]float64, float64) {
	t.Helper()
	b := tensor.Backend(counter)
	bsz := len(times)
	st, fs := m.AE.NewStep(b, bsz), m.Ref.NewFlowStep(b, bsz)
	defer st.Free(b)
	defer fs.Free(b)
	xs, dLat := b.New(bsz, m.Cfg.Channels, m.Cfg.Image, m.Cfg.Image), b.New(bsz, m.Cfg.L())
	m.AE.SetNoise(b, st, noise)
	m.Ref.SetTimes(b, fs, times)
	b.Upload(xs, x)
	b.Upload(st.Direction(), e)
	b.Upload(fs.Noise(), eps)
	m.Params.ZeroGrads(b)
	counter.FLOPs = 0
	m.AE.Forward(b, st, xs)
	m.Ref.FlowForward(b, fs, xs, st.XSmall(), st.HSmall(), st.VSmall())
	m.Ref.FlowBackward(b, fs, dLat)
	m.AE.Backward(b, st, dLat)
	flops := counter.FLOPs

	var losses [4]float64
	for i, v := range st.Losses().Host64 {
		losses[i/bsz] += v
	}
	for _, v := range fs.Loss().Host64 {
		losses[3] += v
	}
	for _, p := range m.Params.List {
		ref.grads[p.Name] = append([]float64(nil), p.Grad.Host64...)
		ref.shapes[p.Name] = p.Shape
	}
	return losses, flops
}

// sampleStart draws a generator's sphere points and refiner noise from a seed on the
// backend, as tools/sample does, adds both to the inputs, and keeps the generator's images
// (Heun and Euler) in ref.samples.
func sampleStart(t *testing.T, b tensor.Backend, m *gen.Model, c fixtureCase, ref reference, add func(string, []float32, ...int)) {
	t.Helper()
	const seed = 5
	cfg := m.Cfg
	g := m.NewGenerator(b, c.batch)
	defer g.Free(b)
	v := g.SpherePoints(b, seed)
	vHost, _ := b.Download(v)
	eps := b.New(c.batch, cfg.Channels, cfg.Image, cfg.Image)
	defer b.Free(eps)
	b.Rand(eps, c.batch*cfg.Pixels(), seed, 1, tensor.Normal) // gen's image stream
	epsHost, _ := b.Download(eps)
	add("sample_v", vHost, c.batch, cfg.L())
	add("sample_eps", epsHost, c.batch, cfg.Channels, cfg.Image, cfg.Image)
	for _, s := range []struct {
		name  string
		euler bool
	}{{"heun", false}, {"euler", true}} {
		dec, refined, err := g.FromPoints(b, v, seed, c.steps, s.euler)
		if err != nil {
			t.Fatal(err)
		}
		ref.samples[s.name+"/decoded"], ref.samples[s.name+"/refined"] = flatten(dec), flatten(refined)
	}
}

// optimise takes ref.opt's clip, AdamW and EMA steps at optimiserSteps with the step's
// gradients (still in the arena), as train.Trainer.TrainStep does, and keeps the results.
// The twin takes its steps from the same gradients (gradsFile): AdamW's first steps divide
// each gradient by its own magnitude, which magnifies the last-digit differences of tiny
// gradients far beyond the tolerance, so the optimiser is compared on its own.
func optimise(t *testing.T, b tensor.Backend, m *gen.Model, ref reference) {
	t.Helper()
	ps, o := m.Params, ref.opt
	mom, vel, ema, scale := b.New(ps.Size), b.New(ps.Size), b.New(ps.Size), b.New(2)
	b.Copy2D(ema, ps.Values, 1, ps.Size, 0, 0, 0, 0, false)
	for _, s := range optimiserSteps {
		b.GradClip(scale, ps.Grads, ps.Size, float32(o.ClipNorm))
		b.AdamW(ps.Values, ps.Grads, mom, vel, scale, ps.Size, float32(o.LRAt(s)), float32(o.Beta1), float32(o.Beta2), float32(o.Eps), float32(o.WD), s+1)
		d := o.EMAAt(s)
		b.Axpby(ema, ps.Values, float32(1-d), float32(d))
	}
	if scale.Host64[0] >= 1 {
		t.Fatalf("the gradient norm is under the clip norm %g: the fixture does not exercise clipping", o.ClipNorm)
	}
	for _, p := range ps.List {
		ref.params[p.Name] = append([]float64(nil), p.Value.Host64...)
	}
	b.Copy2D(ps.Values, ema, 1, ps.Size, 0, 0, 0, 0, false) // read the EMA through the parameters' views
	for _, p := range ps.List {
		ref.ema[p.Name] = append([]float64(nil), p.Value.Host64...)
	}
}

// write writes f in F32.
func write(t *testing.T, path string, f *weights.File) {
	t.Helper()
	if err := weights.WriteFile(path, f, weights.F32); err != nil {
		t.Fatal(err)
	}
}

func uniform(rng *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(2*rng.Float64() - 1)
	}
	return out
}

func normal(rng *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(rng.NormFloat64())
	}
	return out
}

// flatten concatenates images.
func flatten(images [][]float32) []float32 {
	var out []float32
	for _, im := range images {
		out = append(out, im...)
	}
	return out
}
