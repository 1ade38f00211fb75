package engine

import (
	"errors"
	"testing"

	"flowsphere/model/cpu"
)

// TestWeightsThatCannotBeHad: a weight file that the host could not fetch, or that does not
// load, is an error naming the file and the cause, and the app loads the default model and
// says so; a failed load later keeps the model and says that.
func TestWeightsThatCannotBeHad(t *testing.T) {
	tiny := tinyWeights(t, 3, nil)
	def := func() (string, []byte, error) { return "weights/default.safetensors.zst", tinyWeights(t, 4, nil), nil }
	for _, c := range []struct {
		name  string
		opts  Options
		model string   // the model the app ends up with
		says  []string // what the error says
	}{
		{"http error", Options{WeightsName: "e2e/missing.safetensors.zst", WeightsErr: errors.New("e2e/missing.safetensors.zst: HTTP 404 Not Found"), DefaultWeights: def},
			"default.safetensors.zst", []string{"e2e/missing.safetensors.zst: HTTP 404 Not Found", "loaded the default model weights/default.safetensors.zst instead"}},
		{"corrupt file", Options{Weights: tiny[:len(tiny)/2], WeightsName: "e2e/broken.safetensors.zst", DefaultWeights: def},
			"default.safetensors.zst", []string{"e2e/broken.safetensors.zst: ", "loaded the default model weights/default.safetensors.zst instead"}},
		{"corrupt default too", Options{Weights: tiny[:len(tiny)/2], WeightsName: "e2e/broken.safetensors.zst",
			DefaultWeights: func() (string, []byte, error) {
				return "", nil, errors.New("weights/default.safetensors.zst: Failed to fetch")
			}},
			"fresh-small", []string{"e2e/broken.safetensors.zst: ", "the default model did not load either: weights/default.safetensors.zst: Failed to fetch", "started a freshly initialised small model"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.model == "fresh-small" && testing.Short() {
				t.Skip("initialises the small model")
			}
			c.opts.Backend, c.opts.Loops = cpu.New(), 2
			a := Start(c.opts)
			t.Cleanup(a.Close)
			s := settle(t, a)
			if s.Model != c.model || s.Grids != 1 || !mentions(s.Error, c.says...) || !mentions(s.Status, c.says...) {
				t.Fatalf("the app runs %q, wants %q, and says %q; want it to say %q", s.Model, c.model, s.Error, c.says)
			}
		})
	}

	t.Run("later", func(t *testing.T) {
		a := newApp(t, newHost())
		settle(t, a)
		a.LoadFailed(errors.New("http://127.0.0.1:1/w.safetensors.zst: Failed to fetch"))
		if s := settle(t, a); !mentions(s.Error, "127.0.0.1:1/w.safetensors.zst: Failed to fetch", "the model tiny.safetensors.zst stays") || s.Model != "tiny.safetensors.zst" {
			t.Fatalf("after a failed download: %+v", s)
		}
		a.LoadWeights("e2e/broken.safetensors.zst", tiny[:len(tiny)/2])
		if s := settle(t, a); !mentions(s.Error, "e2e/broken.safetensors.zst: ", "the model tiny.safetensors.zst stays") || s.Model != "tiny.safetensors.zst" {
			t.Fatalf("after a corrupt file: %+v", s)
		}
	})
}
