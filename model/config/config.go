// Package config holds the generator's configuration: the sizes of the spherical
// autoencoder and the refiner, the training noise and the flow coupling. It is saved with
// the weights, so a weight file says which model it belongs to. It imports nothing of ours.
package config

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Config sizes and parameterises a flowsphere model. Images are Channels×Image×Image in
// [-1, 1], cut into Patch×Patch patches: a Grid×Grid token grid of Tokens tokens.
type Config struct {
	Name     string `json:"name"`
	Image    int    `json:"image"`
	Channels int    `json:"channels"`
	Patch    int    `json:"patch"`

	// Transformer sizes, shared by the autoencoder and the refiner.
	Width    int     `json:"width"`     // token width E
	Heads    int     `json:"heads"`     // attention heads; Width/Heads a multiple of 4
	Hidden   int     `json:"hidden"`    // SwiGLU hidden width
	RoPEBase float32 `json:"rope_base"` // 2-D RoPE frequency base

	// Spherical autoencoder.
	EncBlocks          int `json:"enc_blocks"`
	DecBlocks          int `json:"dec_blocks"`
	MixerLayers        int `json:"mixer_layers"`         // MLP-Mixer layers after the encoder and before the decoder blocks
	MixerTokenHidden   int `json:"mixer_token_hidden"`   // token-mixing MLP hidden width
	MixerChannelHidden int `json:"mixer_channel_hidden"` // channel-mixing MLP hidden width
	Latent             int `json:"latent"`               // D, latent channels per token; L = Tokens·D

	// Training noise of the autoencoder (angles in degrees) and its loss weights.
	AlphaMax     float64 `json:"alpha_max"`     // α ~ U[0, AlphaMax] …
	AlphaMixMax  float64 `json:"alpha_mix_max"` // … or U[AlphaMax, AlphaMixMax] with probability MixProb
	MixProb      float64 `json:"mix_prob"`
	SmallNoise   float64 `json:"small_noise"`   // σ_small = U[0, SmallNoise]·σ
	PixelWeight  float64 `json:"pixel_weight"`  // pixel consistency
	LatentWeight float64 `json:"latent_weight"` // latent consistency

	// Refiner.
	RefBlocks int     `json:"ref_blocks"`
	TimeDim   int     `json:"time_dim"`  // sinusoidal time features
	Ratio     float64 `json:"ratio"`     // r in x_start = r·ε + (1−r)·sg(D(v_small)); 1 is pure noise
	TimeDist  string  `json:"time_dist"` // "uniform" or "logit-normal"
	TEps      float64 `json:"t_eps"`     // clamp of 1−t in the v-loss and the sampler
}

// Grid is the number of tokens along each side.
func (c Config) Grid() int { return c.Image / c.Patch }

// Tokens is the number of image tokens T.
func (c Config) Tokens() int { return c.Grid() * c.Grid() }

// PatchDim is the length of one patch vector, Channels·Patch².
func (c Config) PatchDim() int { return c.Channels * c.Patch * c.Patch }

// Pixels is the number of values in one image.
func (c Config) Pixels() int { return c.Channels * c.Image * c.Image }

// L is the flat latent length Tokens·Latent; sphere points have norm sqrt(L).
func (c Config) L() int { return c.Tokens() * c.Latent }

// HeadDim is Width/Heads.
func (c Config) HeadDim() int { return c.Width / c.Heads }

// Validate says what is wrong with c, if anything.
func (c Config) Validate() error {
	switch {
	case c.Image <= 0 || c.Patch <= 0 || c.Image%c.Patch != 0:
		return fmt.Errorf("config %q: image %d is not a positive multiple of patch %d", c.Name, c.Image, c.Patch)
	case c.Channels <= 0:
		return fmt.Errorf("config %q: channels %d", c.Name, c.Channels)
	case c.Width <= 0 || c.Heads <= 0 || c.Width%c.Heads != 0 || c.HeadDim()%4 != 0 || c.HeadDim() > 64:
		return fmt.Errorf("config %q: width %d with %d heads needs a head dim that is a multiple of 4 and at most 64", c.Name, c.Width, c.Heads)
	case c.Hidden <= 0 || c.MixerTokenHidden <= 0 || c.MixerChannelHidden <= 0 || c.Latent <= 0 || c.TimeDim <= 0 || c.TimeDim%2 != 0:
		return fmt.Errorf("config %q: hidden, mixer, latent and (even) time sizes must be positive", c.Name)
	case c.EncBlocks < 0 || c.DecBlocks < 0 || c.RefBlocks < 0 || c.MixerLayers < 0:
		return fmt.Errorf("config %q: negative block count", c.Name)
	case c.Ratio < 0 || c.Ratio > 1:
		return fmt.Errorf("config %q: ratio %g outside [0, 1]", c.Name, c.Ratio)
	case c.TimeDist != "uniform" && c.TimeDist != "logit-normal":
		return fmt.Errorf("config %q: time distribution %q (want uniform or logit-normal)", c.Name, c.TimeDist)
	case !(c.TEps > 0 && c.TEps < 1):
		return fmt.Errorf("config %q: t_eps %g outside (0, 1)", c.Name, c.TEps)
	case !(c.AlphaMax > 0 && c.AlphaMax <= c.AlphaMixMax && c.AlphaMixMax < 90):
		return fmt.Errorf("config %q: angles %g° and %g° must satisfy 0 < max ≤ mix max < 90", c.Name, c.AlphaMax, c.AlphaMixMax)
	}
	return nil
}

// defaults are the seed's training settings, shared by every preset.
var defaults = Config{
	Image: 32, Channels: 3, RoPEBase: 100,
	AlphaMax: 80, AlphaMixMax: 85, MixProb: 0.1, SmallNoise: 0.5, PixelWeight: 1, LatentWeight: 0.1,
	Ratio: 0.75, TimeDist: "uniform", TEps: 0.05,
}

// presets are the named sizes: tiny for tests, mini for ablations, small for the browser.
var presets = map[string]func(c *Config){
	// tiny runs a training step in milliseconds on the CPU backend.
	"tiny": func(c *Config) {
		c.Patch, c.Width, c.Heads, c.Hidden = 8, 16, 2, 24
		c.EncBlocks, c.DecBlocks, c.RefBlocks = 1, 1, 1
		c.MixerLayers, c.MixerTokenHidden, c.MixerChannelHidden = 1, 32, 32
		c.Latent, c.TimeDim = 2, 16
	},
	// mini is for side-by-side ablations: the small model's token grid and latent at half the
	// width and a third of the depth, about a tenth of its cost per step.
	"mini": func(c *Config) {
		c.Patch, c.Width, c.Heads, c.Hidden = 4, 64, 2, 172
		c.EncBlocks, c.DecBlocks, c.RefBlocks = 2, 2, 2
		c.MixerLayers, c.MixerTokenHidden, c.MixerChannelHidden = 1, 128, 128
		c.Latent, c.TimeDim = 2, 32
	},
	// small is the browser model: E 128, 4 heads, AE 4+4 blocks, refiner 6 blocks.
	"small": func(c *Config) {
		c.Patch, c.Width, c.Heads, c.Hidden = 4, 128, 4, 344
		c.EncBlocks, c.DecBlocks, c.RefBlocks = 4, 4, 6
		c.MixerLayers, c.MixerTokenHidden, c.MixerChannelHidden = 2, 256, 256
		c.Latent, c.TimeDim = 2, 64
	},
}

// Presets lists the preset names.
func Presets() []string {
	var names []string
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Preset returns the named configuration.
func Preset(name string) (Config, error) {
	set, ok := presets[name]
	if !ok {
		return Config{}, fmt.Errorf("unknown config %q (want one of %v)", name, Presets())
	}
	c := defaults
	c.Name = name
	set(&c)
	return c, c.Validate()
}

// SameShapes reports whether o has c's architecture: every size that shapes a parameter,
// the token grid and the RoPE base. The other fields (noise, loss weights, coupling, time
// distribution) are training choices that a trained model may change.
func (c Config) SameShapes(o Config) bool {
	training := func(x Config) Config {
		x.AlphaMax, x.AlphaMixMax, x.MixProb, x.SmallNoise = 0, 0, 0, 0
		x.PixelWeight, x.LatentWeight, x.Ratio, x.TimeDist, x.TEps = 0, 0, 0, "", 0
		return x
	}
	return training(c) == training(o)
}

// Marshal is the JSON form stored in weight files.
func (c Config) Marshal() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a struct of numbers and strings always marshals
	}
	return string(b)
}

// Parse reads a configuration written by Marshal and validates it.
func Parse(s string) (Config, error) {
	var c Config
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, c.Validate()
}
