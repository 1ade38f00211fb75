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
// and LoopsKey its Model.Loops (files without one get DefaultLoops).
const (
	FormatKey = "format"
	Format    = "flowsphere-1"
	ConfigKey = "config"
	LoopsKey  = "loops"
)

// maxLoops bounds a weight file's loop count: each loop is an encoder and a decoder pass.
const maxLoops = 1000

// ToFile converts an arena of this model's parameter values (Params.Values, or an EMA copy
// laid out the same way) into a weight file with extra metadata; the model's own keys
// (format, config, loops, prior temperature) override any in meta. arena: [Params.Size].
func (m *Model) ToFile(b tensor.Backend, arena *tensor.Tensor, meta map[string]string) (*weights.File, error) {
	flat, err := b.Download(arena)
	if err != nil {
		return nil, err
	}
	f := &weights.File{Metadata: maps.Clone(meta)}
	if f.Metadata == nil {
		f.Metadata = map[string]string{}
	}
	f.Metadata[FormatKey], f.Metadata[ConfigKey] = Format, m.Cfg.Marshal()
	f.Metadata[LoopsKey] = strconv.Itoa(m.Loops)
	delete(f.Metadata, PriorTemperatureKey)
	for i, v := range m.Params.Split(flat) {
		p := m.Params.List[i]
		f.Tensors = append(f.Tensors, weights.Tensor{Name: p.Name, Shape: p.Shape, Data: v})
	}
	if m.Prior != nil {
		f.Tensors = append(f.Tensors, m.priorTensors()...)
		f.Metadata[PriorTemperatureKey] = strconv.FormatFloat(m.Temperature, 'g', -1, 64)
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
		if t := &f.Tensors[i]; !isPrior(t.Name) {
			byName[t.Name] = t.Data
		}
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
	if len(byName) != len(m.Params.List) {
		return fmt.Errorf("weight file has %d network tensors, the model has %d parameters", len(byName), len(m.Params.List))
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
	loops := DefaultLoops
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
	if m.Prior, m.Temperature, err = readPrior(f, cfg.L()); err != nil {
		m.Free(b)
		return nil, err
	}
	if err := m.LoadValues(b, f, m.Params.Values); err != nil {
		m.Free(b)
		return nil, err
	}
	return m, nil
}
