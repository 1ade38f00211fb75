package refiner

import (
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/nn"
)

// TestParamCount pins the refiner's parameter count per preset (worked out by hand: time MLP,
// three segment projections with embeddings, RefBlocks adaLN blocks, final modulation and
// output), so an accidental extra or missing layer shows.
func TestParamCount(t *testing.T) {
	cases := []struct {
		preset string
		want   int
	}{
		// tiny: 544 time + 3456 segments + 1·3888 block + 3808 final.
		{"tiny", 11696},
		// small: 24832 time + 23552 segments + 6·297584 blocks + 39216 final.
		{"small", 1873104},
	}
	for _, tc := range cases {
		cfg, err := config.Preset(tc.preset)
		if err != nil {
			t.Fatal(err)
		}
		s := &nn.ParamSet{}
		New(s, cfg)
		if got := s.Count(); got != tc.want {
			t.Errorf("%s: %d refiner parameters, want %d", tc.preset, got, tc.want)
		}
		t.Logf("%s: %d refiner parameters in %d tensors", tc.preset, s.Count(), len(s.List))
	}
}
