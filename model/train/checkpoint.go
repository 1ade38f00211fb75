package train

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"flowsphere/model/config"
	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// Checkpoint metadata keys and the format mark.
const (
	checkpointFormat = "flowsphere-checkpoint-1"
	optionsKey       = "options"
	stepKey          = "step"
	lrScaleKey       = "lr_scale"
	datasetKey       = "dataset"
)

// arenas names the state a checkpoint holds, each a full parameter arena stored per
// parameter under "<prefix>/<parameter name>".
func (t *Trainer) arenas() []struct {
	prefix string
	arena  *tensor.Tensor
} {
	return []struct {
		prefix string
		arena  *tensor.Tensor
	}{{"param", t.M.Params.Values}, {"ema", t.ema}, {"adam_m", t.m}, {"adam_v", t.v}}
}

// Save writes the whole training state — weights, EMA, AdamW moments, step, learning-rate
// scale, options and config — to path atomically, in float32 so that Resume continues
// exactly. Pending loss sums are not saved: call Report first.
func (t *Trainer) Save(path string) error {
	opts, err := json.Marshal(t.Opt)
	if err != nil {
		return err
	}
	f := &weights.File{Metadata: map[string]string{
		gen.FormatKey: checkpointFormat, gen.ConfigKey: t.M.Cfg.Marshal(), optionsKey: string(opts),
		stepKey: strconv.Itoa(t.Step), lrScaleKey: strconv.FormatFloat(t.LRScale, 'g', -1, 64), datasetKey: t.Data.Name,
	}}
	for _, a := range t.arenas() {
		part, err := t.M.ToFile(t.B, a.arena, nil)
		if err != nil {
			return err
		}
		for _, w := range part.Tensors {
			w.Name = a.prefix + "/" + w.Name
			f.Tensors = append(f.Tensors, w)
		}
	}
	return weights.WriteFile(path, f, weights.F32)
}

// Resume rebuilds a trainer from a checkpoint written by Save, on backend b with the same
// dataset; training then continues exactly where it stopped.
func Resume(b tensor.Backend, path string, set *data.Set) (*Trainer, error) {
	f, err := weights.ReadFile(path, weights.DefaultLimits)
	if err != nil {
		return nil, err
	}
	if f.Metadata[gen.FormatKey] != checkpointFormat {
		return nil, fmt.Errorf("%s is not a flowsphere checkpoint", path)
	}
	if name := f.Metadata[datasetKey]; name != set.Name {
		return nil, fmt.Errorf("%s was trained on %s, not %s", path, name, set.Name)
	}
	var opt Options
	if err := json.Unmarshal([]byte(f.Metadata[optionsKey]), &opt); err != nil {
		return nil, fmt.Errorf("%s: options: %w", path, err)
	}
	step, err := strconv.Atoi(f.Metadata[stepKey])
	if err != nil {
		return nil, fmt.Errorf("%s: step: %w", path, err)
	}
	lrScale, err := strconv.ParseFloat(f.Metadata[lrScaleKey], 64)
	if err != nil {
		return nil, fmt.Errorf("%s: learning-rate scale: %w", path, err)
	}
	cfg, err := config.Parse(f.Metadata[gen.ConfigKey])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m, err := gen.New(b, cfg, opt.Seed)
	if err != nil {
		return nil, err
	}
	t, err := New(b, m, set, opt)
	if err != nil {
		return nil, err
	}
	t.Step, t.LRScale = step, lrScale
	for _, a := range t.arenas() {
		part := &weights.File{}
		for _, w := range f.Tensors {
			if name, ok := strings.CutPrefix(w.Name, a.prefix+"/"); ok {
				w.Name = name
				part.Tensors = append(part.Tensors, w)
			}
		}
		if err := m.LoadValues(b, part, a.arena); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, a.prefix, err)
		}
	}
	return t, nil
}
