package gen

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"flowsphere/model/config"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// FormatKey and Format mark a weight file as a flowsphere model; ConfigKey holds its config
// and LoopsKey, when present, its Model.Loops.
const (
	FormatKey = "format"
	Format    = "flowsphere-1"
	ConfigKey = "config"
	LoopsKey  = "loops"
)

// maxLoops bounds a weight file's loop count: each loop is an encoder and a decoder pass.
const maxLoops = 1000

// ToFile converts an arena of this model's parameter values (Params.Values, or an EMA copy
// laid out the same way) into a weight file with the config and extra metadata.
// arena: [Params.Size].
func (m *Model) ToFile(b tensor.Backend, arena *tensor.Tensor, meta map[string]string) (*weights.File, error) {
	flat, err := b.Download(arena)
	if err != nil {
		return nil, err
	}
	f := &weights.File{Metadata: map[string]string{FormatKey: Format, ConfigKey: m.Cfg.Marshal()}}
	if m.Loops > 0 {
		f.Metadata[LoopsKey] = strconv.Itoa(m.Loops)
	}
	maps.Copy(f.Metadata, meta)
	for i, v := range m.Params.Split(flat) {
		p := m.Params.List[i]
		f.Tensors = append(f.Tensors, weights.Tensor{Name: p.Name, Shape: p.Shape, Data: v})
	}
	return f, nil
}

// ReadConfig returns the model configuration a weight file was written with, refusing
// files that are not flowsphere models.
func ReadConfig(f *weights.File) (config.Config, error) {
	if f.Metadata[FormatKey] != Format {
		return config.Config{}, fmt.Errorf("not a flowsphere model (metadata %s = %q, want %q)", FormatKey, f.Metadata[FormatKey], Format)
	}
	cfg, err := config.Parse(f.Metadata[ConfigKey])
	if err != nil {
		return config.Config{}, fmt.Errorf("flowsphere model with a bad config: %w", err)
	}
	return cfg, nil
}

// LoadValues uploads a weight file's tensors into arena (laid out like Params.Values),
// checking that names and shapes match this model exactly. arena: [Params.Size].
func (m *Model) LoadValues(b tensor.Backend, f *weights.File, arena *tensor.Tensor) error {
	byName := make(map[string][]float32, len(f.Tensors))
	for i := range f.Tensors {
		t := &f.Tensors[i]
		byName[t.Name] = t.Data
	}
	for _, p := range m.Params.List {
		t, ok := f.Lookup(p.Name)
		if !ok {
			return fmt.Errorf("weight file lacks parameter %s", p.Name)
		}
		if !slices.Equal(t.Shape, p.Shape) {
			return fmt.Errorf("parameter %s has shape %v in the file, the model needs %v", p.Name, t.Shape, p.Shape)
		}
	}
	if len(f.Tensors) != len(m.Params.List) {
		return fmt.Errorf("weight file has %d tensors, the model has %d parameters", len(f.Tensors), len(m.Params.List))
	}
	flat, err := m.Params.Join(byName)
	if err != nil {
		return err
	}
	b.Upload(arena, flat)
	return nil
}

// Open builds the model a weight file describes on b and loads its values.
func Open(b tensor.Backend, f *weights.File) (*Model, error) {
	cfg, err := ReadConfig(f)
	if err != nil {
		return nil, err
	}
	loops := 0
	if s, ok := f.Metadata[LoopsKey]; ok {
		if loops, err = strconv.Atoi(s); err != nil || loops < 0 || loops > maxLoops {
			return nil, fmt.Errorf("flowsphere model with a bad loop count %s = %q (want 0…%d)", LoopsKey, s, maxLoops)
		}
	}
	m, err := New(b, cfg, 0)
	if err != nil {
		return nil, err
	}
	m.Loops = loops
	if err := m.LoadValues(b, f, m.Params.Values); err != nil {
		m.Free(b)
		return nil, err
	}
	return m, nil
}
