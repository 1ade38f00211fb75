package gen

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"flowsphere/model/prior"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// Names of the prior in a weight file: the mixture's tensors (K components in a subspace of
// rank R of the L latent values) and its sampling temperature in the metadata.
const (
	PriorCenter         = "prior.center"   // [L]
	PriorBasis          = "prior.basis"    // [L, R]
	PriorResidual       = "prior.residual" // [1]
	PriorWeights        = "prior.weights"  // [K]
	PriorMeans          = "prior.means"    // [K, R]
	PriorChols          = "prior.chols"    // [K, R, R]
	PriorTemperatureKey = "prior_temperature"
)

// priorNames are the prior's tensors, all present or none.
var priorNames = []string{PriorCenter, PriorBasis, PriorResidual, PriorWeights, PriorMeans, PriorChols}

// DefaultTemperature is the prior's sampling temperature for files that name none.
const DefaultTemperature = 1.0

// isPrior reports whether a weight file tensor belongs to the prior, not to the network.
func isPrior(name string) bool { return strings.HasPrefix(name, "prior.") }

// WithoutPrior returns f without its prior (tensors and temperature), for a caller that fits
// a new one: an old or damaged prior then does not stop the network from loading.
func WithoutPrior(f *weights.File) *weights.File {
	out := &weights.File{Metadata: maps.Clone(f.Metadata)}
	delete(out.Metadata, PriorTemperatureKey)
	for _, t := range f.Tensors {
		if !isPrior(t.Name) {
			out.Tensors = append(out.Tensors, t)
		}
	}
	return out
}

// Encode returns the sphere points of n images: [n][L]. fill writes images from, …, to−1
// into dst: [(to−from)·Pixels]; add (or nil) hears of each batch done.
func (m *Model) Encode(b tensor.Backend, n, batch int, fill func(dst []float32, from, to int), add func(int)) ([][]float32, error) {
	c := m.Cfg
	batch = max(1, min(batch, n))
	enc := m.AE.NewEncoded(b, batch)
	defer enc.Free(b)
	x := b.New(batch, c.Channels, c.Image, c.Image)
	defer b.Free(x)
	host := make([]float32, batch*c.Pixels())
	out := make([][]float32, 0, n)
	for from := 0; from < n; from += batch {
		k := min(n, from+batch) - from
		clear(host[k*c.Pixels():])
		fill(host, from, from+k)
		b.Upload(x, host)
		m.AE.Encode(b, enc, x)
		flat, err := b.Download(enc.V())
		if err != nil {
			return nil, err
		}
		for i := range k {
			out = append(out, flat[i*c.L():(i+1)*c.L()])
		}
		if add != nil {
			add(k)
		}
	}
	return out, nil
}

// FitPrior encodes n images (see Encode) and fits the model's prior to their sphere points;
// it returns the fit's mean log-likelihood per point.
func (m *Model) FitPrior(b tensor.Backend, n, batch int, fill func(dst []float32, from, to int), o prior.FitOptions, add func(int)) (float64, error) {
	points, err := m.Encode(b, n, batch, fill, add)
	if err != nil {
		return 0, err
	}
	mix, ll, err := prior.Fit(points, o)
	if err != nil {
		return 0, err
	}
	m.Prior = mix
	return ll, nil
}

// priorPoints draws rows sphere-prior points into dst: [rows·L] from seed: row i depends on
// (seed, i) only, so a batch of any size starts with the same points.
func (m *Model) priorPoints(dst []float32, rows int, seed uint64) {
	l := m.Cfg.L()
	for i := range rows {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		m.Prior.Sample(dst[i*l:(i+1)*l], rng, m.Temperature)
	}
}

// priorTensors are the prior's weight file tensors.
func (m *Model) priorTensors() []weights.Tensor {
	p, l := m.Prior, m.Cfg.L()
	k, r := p.Components(), p.Rank
	means, chols := make([]float32, 0, k*r), make([]float32, 0, k*r*r)
	for c := range k {
		means = appendFloats(means, p.Means[c])
		chols = appendFloats(chols, p.Chols[c])
	}
	return []weights.Tensor{
		{Name: PriorCenter, Shape: []int{l}, Data: appendFloats(nil, p.Center)},
		{Name: PriorBasis, Shape: []int{l, r}, Data: appendFloats(nil, p.Basis)},
		{Name: PriorResidual, Shape: []int{1}, Data: []float32{float32(p.Residual)}},
		{Name: PriorWeights, Shape: []int{k}, Data: appendFloats(nil, p.Weights)},
		{Name: PriorMeans, Shape: []int{k, r}, Data: means},
		{Name: PriorChols, Shape: []int{k, r, r}, Data: chols},
	}
}

// appendFloats appends v to dst as float32.
func appendFloats(dst []float32, v []float64) []float32 {
	for _, x := range v {
		dst = append(dst, float32(x))
	}
	return dst
}

// readPrior reads the prior of f, if it has one, for latents of length l, and its temperature.
func readPrior(f *weights.File, l int) (*prior.Mixture, float64, error) {
	temp := DefaultTemperature
	if s, ok := f.Metadata[PriorTemperatureKey]; ok {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0 && v <= 2) {
			return nil, 0, fmt.Errorf("flowsphere model with a bad prior temperature %s = %q (want (0, 2])", PriorTemperatureKey, s)
		}
		temp = v
	}
	found := map[string]*weights.Tensor{}
	for _, name := range priorNames {
		if t, ok := f.Lookup(name); ok {
			found[name] = t
		}
	}
	if len(found) == 0 {
		return nil, temp, nil
	}
	if len(found) != len(priorNames) {
		return nil, 0, fmt.Errorf("flowsphere model with part of a prior (%v go together)", priorNames)
	}
	w, basis, means := found[PriorWeights], found[PriorBasis], found[PriorMeans]
	k, r := len(w.Data), 0
	if len(basis.Shape) == 2 {
		r = basis.Shape[1]
	}
	for name, shape := range map[string][]int{PriorCenter: {l}, PriorBasis: {l, r}, PriorResidual: {1}, PriorWeights: {k}, PriorMeans: {k, r}, PriorChols: {k, r, r}} {
		if !slices.Equal(found[name].Shape, shape) {
			return nil, 0, fmt.Errorf("prior tensor %s has shape %v, want %v (L = %d, rank %d, %d components)", name, found[name].Shape, shape, l, r, k)
		}
	}
	mix := &prior.Mixture{Dim: l, Rank: r, Center: floats64(found[PriorCenter].Data), Basis: floats64(basis.Data),
		Residual: float64(found[PriorResidual].Data[0]), Weights: floats64(w.Data)}
	chols := found[PriorChols]
	sum := 0.0
	for c := range k {
		sum += mix.Weights[c]
		mix.Means = append(mix.Means, floats64(means.Data[c*r:(c+1)*r]))
		mix.Chols = append(mix.Chols, floats64(chols.Data[c*r*r:(c+1)*r*r]))
	}
	if !(sum > 0) {
		return nil, 0, fmt.Errorf("flowsphere model with a bad prior: weights sum to %g", sum)
	}
	for c := range mix.Weights { // F16 rounding moves the sum off 1 a little
		mix.Weights[c] /= sum
	}
	if err := mix.Validate(); err != nil {
		return nil, 0, fmt.Errorf("flowsphere model with a bad prior: %w", err)
	}
	return mix, temp, nil
}

// floats64 converts v to float64.
func floats64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
