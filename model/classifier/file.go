package classifier

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"flowsphere/model/data"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// Metadata keys of a classifier's weight file.
const (
	formatKey  = "format"
	configKey  = "classifier"
	datasetKey = "dataset"
	classesKey = "classes"
)

// Format marks a weight file as a flowsphere evaluation classifier.
const Format = "flowsphere-classifier-1"

// ToFile converts the classifier into a weight file: its tensors, and its config, dataset
// and class names plus meta in the metadata.
func (c *Classifier) ToFile(b tensor.Backend, meta map[string]string) (*weights.File, error) {
	flat, err := b.Download(c.Params.Values)
	if err != nil {
		return nil, err
	}
	classes, err := json.Marshal(c.ClassNames)
	if err != nil {
		return nil, err
	}
	f := &weights.File{Metadata: map[string]string{
		formatKey: Format, configKey: c.Cfg.marshal(), datasetKey: c.Dataset, classesKey: string(classes),
	}}
	maps.Copy(f.Metadata, meta)
	for i, v := range c.Params.Split(flat) {
		p := c.Params.List[i]
		f.Tensors = append(f.Tensors, weights.Tensor{Name: p.Name, Shape: p.Shape, Data: v})
	}
	return f, nil
}

// Open builds the classifier a weight file describes on b and loads its values.
func Open(b tensor.Backend, f *weights.File) (*Classifier, error) {
	if f.Metadata[formatKey] != Format {
		return nil, fmt.Errorf("not a flowsphere classifier (metadata %s = %q, want %q)", formatKey, f.Metadata[formatKey], Format)
	}
	cfg, err := parseConfig(f.Metadata[configKey])
	if err != nil {
		return nil, err
	}
	var classes []string
	if err := json.Unmarshal([]byte(f.Metadata[classesKey]), &classes); err != nil || len(classes) != cfg.Classes {
		return nil, fmt.Errorf("classifier: metadata %s = %q does not name %d classes", classesKey, f.Metadata[classesKey], cfg.Classes)
	}
	values := make(map[string][]float32, len(f.Tensors))
	for _, t := range f.Tensors {
		values[t.Name] = t.Data
	}
	c, err := New(b, cfg, 0)
	if err != nil {
		return nil, err
	}
	c.Dataset, c.ClassNames = f.Metadata[datasetKey], classes
	for _, p := range c.Params.List {
		if t, ok := f.Lookup(p.Name); ok && !slices.Equal(t.Shape, p.Shape) {
			c.Free(b)
			return nil, fmt.Errorf("classifier: parameter %s has shape %v in the file, the config needs %v", p.Name, t.Shape, p.Shape)
		}
	}
	flat, err := c.Params.Join(values)
	if err == nil && len(f.Tensors) != len(c.Params.List) {
		err = fmt.Errorf("classifier: the file has %d tensors, the config %d parameters", len(f.Tensors), len(c.Params.List))
	}
	if err != nil {
		c.Free(b)
		return nil, err
	}
	b.Upload(c.Params.Values, flat)
	return c, nil
}

// CheckSet says why the classifier cannot judge images of set, if it cannot: another
// dataset, other classes or another image size.
func (c *Classifier) CheckSet(set *data.Set) error {
	switch {
	case c.Dataset != set.Name:
		return fmt.Errorf("the classifier was trained on %s, not %s", c.Dataset, set.Name)
	case !slices.Equal(c.ClassNames, set.Classes):
		return fmt.Errorf("the classifier's classes %q are not %s's %q", c.ClassNames, set.Name, set.Classes)
	case c.Cfg.Image != set.Size:
		return fmt.Errorf("the classifier reads %d-pixel images, %s has %d-pixel ones", c.Cfg.Image, set.Name, set.Size)
	}
	return nil
}
