package sphere

import (
	"strings"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/nn"
)

// TestZeroInit checks the zero-init identities through the autoencoder's parameter names:
// attention output projections, SwiGLU down projections and the mixers' second linears
// start at zero (so every residual branch starts as the identity), while the layers that
// feed them do not.
func TestZeroInit(t *testing.T) {
	for _, name := range []string{"tiny", "small"} {
		cfg := preset(t, name)
		set := &nn.ParamSet{}
		New(set, cfg)
		set.Allocate(cpu.New(), 1)
		blocks, mixers := cfg.EncBlocks+cfg.DecBlocks, 2*cfg.MixerLayers // mixer layers
		for _, tc := range []struct {
			suffix string
			zero   bool
			count  int // tensors with this suffix
		}{
			{".o.w", true, blocks},
			{"down.w", true, blocks + 2*mixers}, // block down, mixer token_down and channel_down
			{"down.b", true, blocks + 2*mixers},
			{".q.w", false, blocks},
			{"up.w", false, blocks + 2*mixers},
			{"embed.w", false, 2},
			{"head.w", false, 2},
		} {
			n := 0
			for _, p := range set.List {
				if !strings.HasSuffix(p.Name, tc.suffix) {
					continue
				}
				n++
				nonzero := false
				for _, v := range p.Value.Host {
					nonzero = nonzero || v != 0
				}
				if nonzero == tc.zero {
					t.Errorf("%s: %s starts non-zero: %v, want zero: %v", name, p.Name, nonzero, tc.zero)
				}
			}
			if n != tc.count {
				t.Errorf("%s: %d parameters end in %q, want %d", name, n, tc.suffix, tc.count)
			}
		}
	}
}

// TestParamCount checks the parameter count against the layer formulas and logs it.
func TestParamCount(t *testing.T) {
	for _, name := range []string{"tiny", "small"} {
		cfg := preset(t, name)
		set := &nn.ParamSet{}
		New(set, cfg)
		if got, want := set.Count(), wantParams(cfg); got != want {
			t.Errorf("%s: %d parameters, want %d", name, got, want)
		}
		t.Logf("%s: %d autoencoder parameters", name, set.Count())
	}
}

// wantParams counts the autoencoder's parameters from the sizes.
func wantParams(c config.Config) int {
	e, f, p, d, tok := c.Width, c.Hidden, c.PatchDim(), c.Latent, c.Tokens()
	block := 2*e + 2*c.HeadDim() + 4*e*e + e*2*f + 2*f + f*e + e
	mixerLayer := 2*e + tok*c.MixerTokenHidden + c.MixerTokenHidden + c.MixerTokenHidden*tok + tok +
		e*c.MixerChannelHidden + c.MixerChannelHidden + c.MixerChannelHidden*e + e
	mixer := c.MixerLayers*mixerLayer + e
	enc := p*e + e + c.EncBlocks*block + mixer + e*d
	dec := d*e + e + mixer + c.DecBlocks*block + e*p + p
	return enc + dec
}
