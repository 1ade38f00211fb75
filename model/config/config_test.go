package config

import (
	"strings"
	"testing"
)

func TestPresets(t *testing.T) {
	for _, name := range Presets() {
		c, err := Preset(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := Parse(c.Marshal())
		if err != nil || back != c {
			t.Fatalf("%s: round trip gave %+v, %v", name, back, err)
		}
	}
	if _, err := Preset("huge"); err == nil {
		t.Fatal("unknown preset accepted")
	}
}

func TestValidate(t *testing.T) {
	small, _ := Preset("small")
	tests := []struct {
		name   string
		change func(c *Config)
		want   string
	}{
		{"patch", func(c *Config) { c.Patch = 5 }, "multiple of patch"},
		{"heads", func(c *Config) { c.Heads = 3 }, "head dim"},
		{"ratio", func(c *Config) { c.Ratio = 1.5 }, "ratio"},
		{"time", func(c *Config) { c.TimeDist = "beta" }, "time distribution"},
		{"angles", func(c *Config) { c.AlphaMixMax = 95 }, "angles"},
		{"odd time dim", func(c *Config) { c.TimeDim = 7 }, "time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := small
			tc.change(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := Parse("{"); err == nil {
		t.Fatal("bad JSON accepted")
	}
}
