package train

import (
	"math"
	"testing"
)

func TestLRSchedule(t *testing.T) {
	o := Options{Steps: 110, LR: 1e-3, MinLR: 1e-5, Warmup: 10}
	tests := []struct {
		step int
		want float64
	}{
		{0, 1e-4},
		{4, 5e-4},
		{9, 1e-3},
		{10, 1e-3},
		{59, 1e-5 + 0.5*(1e-3-1e-5)*(1+math.Cos(math.Pi*49/99))},
		{109, 1e-5},
		{500, 1e-5},
	}
	for _, tc := range tests {
		if got := o.LRAt(tc.step); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("LRAt(%d) = %g, want %g", tc.step, got, tc.want)
		}
	}
}

func TestEMARamp(t *testing.T) {
	o := Options{EMADecay: 0.999}
	if got := o.EMAAt(0); got != 0.1 {
		t.Errorf("EMAAt(0) = %g, want 0.1", got)
	}
	if got := o.EMAAt(1e6); got != 0.999 {
		t.Errorf("EMAAt(1e6) = %g, want the decay", got)
	}
}

func TestValidate(t *testing.T) {
	good := DefaultOptions(100)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(o *Options)
	}{
		{"steps", func(o *Options) { o.Steps = 0 }},
		{"lr", func(o *Options) { o.LR = 0 }},
		{"min lr", func(o *Options) { o.MinLR = 1 }},
		{"clip", func(o *Options) { o.ClipNorm = 0 }},
		{"ema", func(o *Options) { o.EMADecay = 1 }},
	}
	for _, tc := range tests {
		o := good
		tc.change(&o)
		if o.Validate() == nil {
			t.Errorf("%s: accepted %+v", tc.name, o)
		}
	}
}
