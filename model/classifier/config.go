package classifier

import (
	"encoding/json"
	"fmt"
)

// Config sizes a classifier for Channels×Image×Image images in [-1, 1].
type Config struct {
	Image    int `json:"image"`
	Channels int `json:"channels"`
	Patch    int `json:"patch"`   // patch side; Image a multiple of it
	Embed    int `json:"embed"`   // width of each patch's embedding
	Hidden   int `json:"hidden"`  // width of the feature layer
	Classes  int `json:"classes"` // logits
}

// DefaultConfig is the evaluation classifier for RGB images of side image: patches of 4
// pixels embedded to 16 values, 128 features (133 k parameters for 32-pixel images and 10
// classes: a 250 kB weight file in F16).
func DefaultConfig(image, classes int) Config {
	return Config{Image: image, Channels: 3, Patch: 4, Embed: 16, Hidden: 128, Classes: classes}
}

// Tokens is the number of patches of an image.
func (c Config) Tokens() int { g := c.Image / c.Patch; return g * g }

// PatchDim is the length of one patch vector, Channels·Patch².
func (c Config) PatchDim() int { return c.Channels * c.Patch * c.Patch }

// Pixels is the number of values in one image.
func (c Config) Pixels() int { return c.Channels * c.Image * c.Image }

// Validate says what is wrong with c, if anything.
func (c Config) Validate() error {
	switch {
	case c.Image <= 0 || c.Patch <= 0 || c.Image%c.Patch != 0:
		return fmt.Errorf("classifier config: image %d is not a positive multiple of patch %d", c.Image, c.Patch)
	case c.Channels <= 0 || c.Embed <= 0 || c.Hidden <= 0:
		return fmt.Errorf("classifier config: channels %d, embed %d and hidden %d must be positive", c.Channels, c.Embed, c.Hidden)
	case c.Classes < 2:
		return fmt.Errorf("classifier config: %d classes, need at least 2", c.Classes)
	}
	return nil
}

// marshal is the JSON form stored in weight files.
func (c Config) marshal() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a struct of ints always marshals
	}
	return string(b)
}

// parseConfig reads a configuration written by marshal and validates it.
func parseConfig(s string) (Config, error) {
	var c Config
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return Config{}, fmt.Errorf("classifier config: %w", err)
	}
	return c, c.Validate()
}
