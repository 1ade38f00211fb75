package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/nn"
	"flowsphere/model/nn/gradcheck"
	"flowsphere/model/tensor"
)

// mixerCases are small enough for a float64 finite-difference check of every parameter.
var mixerCases = []struct {
	name  string
	cfg   nn.MixerConfig
	batch int
}{
	{"one layer", nn.MixerConfig{Width: 8, Tokens: 4, TokenHidden: 6, ChannelHidden: 5, Layers: 1}, 2},
	{"three layers", nn.MixerConfig{Width: 4, Tokens: 3, TokenHidden: 5, ChannelHidden: 7, Layers: 3}, 3},
	{"final norm only", nn.MixerConfig{Width: 5, Tokens: 3, TokenHidden: 2, ChannelHidden: 2, Layers: 0}, 2},
}

// normals draws n values from N(0, scale²).
func normals(rng *rand.Rand, n int, scale float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64() * scale)
	}
	return v
}

// TestMixerGradient checks the whole mixer's backward against central differences of
// L = ⟨dOut, mixer(x)⟩ in float64, for the input and every element of every parameter. The
// parameters are random (not the zero init), so every path carries signal.
func TestMixerGradient(t *testing.T) {
	for _, mc := range mixerCases {
		t.Run(mc.name, func(t *testing.T) {
			b := cpu.New64()
			rng := rand.New(rand.NewPCG(21, 4))
			set := &nn.ParamSet{}
			m := nn.NewMixer(set, "mix", mc.cfg)
			set.Allocate(b, 1)
			for _, p := range set.List {
				b.Upload(p.Value, normals(rng, tensor.Numel(p.Shape), 0.5))
			}
			rows := mc.batch * mc.cfg.Tokens
			x, dOut, dX := b.New(rows, mc.cfg.Width), b.New(rows, mc.cfg.Width), b.New(rows, mc.cfg.Width)
			b.Upload(x, normals(rng, x.Len(), 1))
			b.Upload(dOut, normals(rng, dOut.Len(), 1))
			acts := m.NewActs(b, mc.batch)
			m.Forward(b, acts, x)
			m.Backward(b, acts, dX, dOut)
			loss := func() float64 {
				m.Forward(b, acts, x)
				s := 0.0
				for i, v := range acts.Out.Host64 {
					s += v * dOut.Host64[i]
				}
				return s
			}
			targets := []gradcheck.Target{{Name: "x", Value: x.Host64, Grad: dX.Host64}}
			for _, p := range set.List {
				targets = append(targets, gradcheck.Target{Name: p.Name, Value: p.Value.Host64, Grad: p.Grad.Host64})
			}
			gradcheck.Check(t, loss, targets)
		})
	}
}

// TestMixerStartsAsNorm checks the zero init: a fresh mixer is exactly its final RMSNorm,
// because the second linear of every MLP starts at zero.
func TestMixerStartsAsNorm(t *testing.T) {
	b := cpu.New64()
	c := nn.MixerConfig{Width: 8, Tokens: 4, TokenHidden: 6, ChannelHidden: 5, Layers: 2}
	set := &nn.ParamSet{}
	m := nn.NewMixer(set, "mix", c)
	set.Allocate(b, 3)
	for _, l := range m.Layers {
		for _, p := range []*nn.Param{l.TokenDown.W, l.TokenDown.B, l.ChannelDown.W, l.ChannelDown.B} {
			for i, v := range p.Value.Host64 {
				if v != 0 {
					t.Fatalf("%s[%d] = %g at init, want 0", p.Name, i, v)
				}
			}
		}
	}
	const batch = 2
	x := b.New(batch*c.Tokens, c.Width)
	b.Upload(x, normals(rand.New(rand.NewPCG(2, 2)), x.Len(), 3))
	acts := m.NewActs(b, batch)
	m.Forward(b, acts, x)
	for r := range batch * c.Tokens {
		row := x.Host64[r*c.Width : (r+1)*c.Width]
		ss := 0.0
		for _, v := range row {
			ss += v * v
		}
		rstd := 1 / math.Sqrt(ss/float64(c.Width)+1e-6)
		for j, v := range row {
			if got := acts.Out.Host64[r*c.Width+j]; math.Abs(got-v*rstd) > 1e-12 {
				t.Fatalf("out[%d,%d] = %g, want RMSNorm(x) = %g", r, j, got, v*rstd)
			}
		}
	}
}
