package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"flowsphere/model/prior"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// Names of the prior in a weight file: the mixture's tensors (K components over the L latent
// values) and its sampling temperature in the metadata.
const (
	PriorWeights        = "prior.weights" // [K]
	PriorMeans          = "prior.means"   // [K, L]
	PriorChols          = "prior.chols"   // [K, L, L]
	PriorTemperatureKey = "prior_temperature"
)

// DefaultTemperature is the prior's sampling temperature for files that name none.
const DefaultTemperature = 1.0

// isPrior reports whether a weight file tensor belongs to the prior, not to the network.
func isPrior(name string) bool { return strings.HasPrefix(name, "prior.") }

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
	k := p.Components()
	w, means, chols := make([]float32, k), make([]float32, 0, k*l), make([]float32, 0, k*l*l)
	for c := range k {
		w[c] = float32(p.Weights[c])
		means = appendFloats(means, p.Means[c])
		chols = appendFloats(chols, p.Chols[c])
	}
	return []weights.Tensor{
		{Name: PriorWeights, Shape: []int{k}, Data: w},
		{Name: PriorMeans, Shape: []int{k, l}, Data: means},
		{Name: PriorChols, Shape: []int{k, l, l}, Data: chols},
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
	w, okW := f.Lookup(PriorWeights)
	means, okM := f.Lookup(PriorMeans)
	chols, okC := f.Lookup(PriorChols)
	if !okW && !okM && !okC {
		return nil, temp, nil
	}
	if !okW || !okM || !okC {
		return nil, 0, fmt.Errorf("flowsphere model with part of a prior (%s, %s and %s go together)", PriorWeights, PriorMeans, PriorChols)
	}
	k := len(w.Data)
	if !slices.Equal(w.Shape, []int{k}) || !slices.Equal(means.Shape, []int{k, l}) || !slices.Equal(chols.Shape, []int{k, l, l}) {
		return nil, 0, fmt.Errorf("prior tensors of shapes %v, %v and %v, want [K], [K, %d] and [K, %d, %d]", w.Shape, means.Shape, chols.Shape, l, l, l)
	}
	mix := &prior.Mixture{Dim: l}
	sum := 0.0
	for c := range k {
		mix.Weights = append(mix.Weights, float64(w.Data[c]))
		sum += float64(w.Data[c])
		mix.Means = append(mix.Means, floats64(means.Data[c*l:(c+1)*l]))
		mix.Chols = append(mix.Chols, floats64(chols.Data[c*l*l:(c+1)*l*l]))
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
