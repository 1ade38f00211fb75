package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"flowsphere/model/config"
	"flowsphere/model/gen"
	"flowsphere/model/train"
	"flowsphere/weights"
)

// The app state is a weight file of its own format: the model images come from (the EMA
// while fine-tuning) under "model/", the trainer's weights under "train/", the images as one
// tensor of byte values, the loss history as (step, loss) pairs, and the rest in the
// metadata. It is not train.Trainer.Save's checkpoint because that writes to a path and the
// browser has no file system. AdamW's moments are not kept (the trainer does not export
// them): a restored fine-tune starts them again, which costs a little momentum, not weights.
const (
	stateFormat  = "flowsphere-app-state-1"
	modelPrefix  = "model/"
	trainPrefix  = "train/"
	imagesTensor = "images"
	lossesTensor = "losses"
)

// State metadata keys.
const (
	nameKey    = "model"
	targetKey  = "target"
	aeOnlyKey  = "ae_only"
	stepKey    = "step"
	lrScaleKey = "lr_scale"
	optionsKey = "options"
)

// encodeState writes the app state as a weight file in F32, so a restore is exact.
func (e *Engine) encodeState(buf *bytes.Buffer) error {
	if err := e.syncEMA(); err != nil {
		return err
	}
	ft := &e.ft
	m := e.model
	f := &weights.File{Metadata: map[string]string{
		gen.FormatKey: stateFormat, gen.ConfigKey: m.Cfg.Marshal(), nameKey: e.snap.Model,
		targetKey: strconv.Itoa(ft.target), aeOnlyKey: strconv.FormatBool(ft.aeOnly),
	}}
	if err := addModel(f, e.b, m, modelPrefix); err != nil {
		return err
	}
	if tr := ft.tr; tr != nil {
		opts, err := json.Marshal(tr.Opt)
		if err != nil {
			return err
		}
		f.Metadata[stepKey], f.Metadata[optionsKey] = strconv.Itoa(tr.Step), string(opts)
		f.Metadata[lrScaleKey] = strconv.FormatFloat(tr.LRScale, 'g', -1, 64)
		if err := addModel(f, e.b, tr.M, trainPrefix); err != nil {
			return err
		}
		if t, ok := encodeLosses(ft.losses); ok {
			f.Tensors = append(f.Tensors, t)
		}
	}
	if len(ft.images) > 0 {
		f.Tensors = append(f.Tensors, encodeImages(ft.images, ft.size))
	}
	return weights.Write(buf, f, weights.F32)
}

// decodeState checks a stored state completely, then installs it.
func (e *Engine) decodeState(raw []byte) error {
	f, err := weights.Read(bytes.NewReader(raw), weights.DefaultLimits)
	if err != nil {
		return err
	}
	meta := f.Metadata
	if meta[gen.FormatKey] != stateFormat {
		return fmt.Errorf("format %q, want %q", meta[gen.FormatKey], stateFormat)
	}
	cfg, err := config.Parse(meta[gen.ConfigKey])
	if err != nil {
		return err
	}
	target, err := strconv.Atoi(meta[targetKey])
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	images, err := decodeImages(f, cfg.Image)
	if err != nil {
		return err
	}
	part := prefixed(f, modelPrefix)
	if _, ok := part.Metadata[gen.FormatKey]; !ok { // a state from before the model's metadata was kept
		part.Metadata[gen.FormatKey], part.Metadata[gen.ConfigKey] = gen.Format, cfg.Marshal()
	}
	m, err := gen.Open(e.b, part)
	if err != nil {
		return err
	}
	if err := e.install(m, meta[nameKey], part); err != nil {
		return err
	}
	e.ft.clearImages()
	e.ft.add(images)
	e.ft.target, e.ft.aeOnly = target, meta[aeOnlyKey] == "true"
	e.note = fmt.Sprintf("restored %s with %d fine-tune images · %s", meta[nameKey], len(images), e.snap.Backend)
	if _, ok := meta[stepKey]; !ok {
		return nil
	}
	if err := e.restoreTrainer(f); err != nil {
		return fmt.Errorf("training state: %w (the weights and images were restored)", err)
	}
	e.note = fmt.Sprintf("restored the fine-tune of %s at step %d with %d images · %s", meta[nameKey], e.ft.tr.Step, len(images), e.snap.Backend)
	return nil
}

// restoreTrainer rebuilds the trainer of a stored state whose model is installed.
func (e *Engine) restoreTrainer(f *weights.File) error {
	var opt train.Options
	if err := json.Unmarshal([]byte(f.Metadata[optionsKey]), &opt); err != nil {
		return fmt.Errorf("options: %w", err)
	}
	step, err := strconv.Atoi(f.Metadata[stepKey])
	if err != nil {
		return fmt.Errorf("step: %w", err)
	}
	lrScale, err := strconv.ParseFloat(f.Metadata[lrScaleKey], 64)
	if err != nil {
		return fmt.Errorf("learning-rate scale: %w", err)
	}
	if len(e.ft.images) == 0 {
		return errors.New("a trainer without images")
	}
	losses, err := decodeLosses(f)
	if err != nil {
		return err
	}
	m := e.model
	values := e.b.New(m.Params.Size)
	defer e.b.Free(values)
	if err := m.LoadValues(e.b, prefixed(f, trainPrefix), values); err != nil {
		return err
	}
	tr, err := e.makeTrainer(values, m.Params.Values, step, lrScale, opt)
	if err != nil {
		return err
	}
	e.ft.tr, e.ft.synced, e.ft.losses = tr, true, losses
	return e.backupTrainer()
}
