package eval

import (
	"fmt"

	"flowsphere/model/classifier"
	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/quality"
	"flowsphere/model/tensor"
)

// Evaluator measures generators on one dataset in the feature space of one classifier. It
// classifies the training split, the reference of every measurement, once, so that many
// weight files (the snapshots of a training run) cost one pass over it.
type Evaluator struct {
	b     tensor.Backend
	clf   *classifier.Classifier
	set   *data.Set
	o     Options
	train classifier.Images // the training split, the reference of FD and nearest neighbours
	ref   quality.Stats     // its features' statistics
	feats [][]float32       // its features: [train.N][Features]
	acc   Classifier        // the classifier's held-out accuracy
}

// Run measures generator m on set, in the feature space of clf (trained on set).
func Run(b tensor.Backend, m *gen.Model, clf *classifier.Classifier, set *data.Set, o Options) (*Report, error) {
	if err := checkGenerator(m, set); err != nil {
		return nil, err
	}
	e, err := NewEvaluator(b, clf, set, o)
	if err != nil {
		return nil, err
	}
	return e.Run(m)
}

// NewEvaluator classifies set's held-out split (for the classifier's accuracy) and its
// training split (the reference) with clf, which was trained on set.
func NewEvaluator(b tensor.Backend, clf *classifier.Classifier, set *data.Set, o Options) (*Evaluator, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if err := clf.CheckSet(set); err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	if len(set.Train) < 2 || len(set.Test) < 2 {
		return nil, fmt.Errorf("eval: %s has %d training and %d held-out images, need at least 2 of each", set.Name, len(set.Train), len(set.Test))
	}
	e := &Evaluator{b: b, clf: clf, set: set, o: o, train: classifier.SetImages(set, true, 0)}
	allHeldOut := classifier.SetImages(set, false, 0)
	out, err := e.classify("classify held-out", allHeldOut)
	if err != nil {
		return nil, err
	}
	e.acc = Classifier{
		Accuracy: classifier.Accuracy(out.Probs, classifier.Labels(set, false, 0)),
		HeldOut:  allHeldOut.N, Features: clf.Cfg.Hidden,
	}
	if out, err = e.classify("classify training split", e.train); err != nil {
		return nil, err
	}
	if e.ref, err = quality.NewStats(out.Features); err != nil {
		return nil, err
	}
	e.feats = out.Features
	return e, nil
}

// Run measures generator m.
func (e *Evaluator) Run(m *gen.Model) (*Report, error) {
	b, o, set := e.b, e.o, e.set
	if err := checkGenerator(m, set); err != nil {
		return nil, err
	}
	r := &Report{Dataset: set.Name, Config: m.Cfg.Name, Reference: e.train.N, Classifier: e.acc, Classes: set.Classes}
	var err error
	heldOut := classifier.SetImages(set, false, o.N)
	add, done := o.stage("reconstruct held-out", "images", heldOut.N)
	var heldOutEncoded [][]float32 // [heldOut.N][L]
	r.Reconstruction, r.Denoised, heldOutEncoded, err = reconstruct(b, m, heldOut, o.Batch, o.Seed, add)
	done()
	if err != nil {
		return nil, err
	}
	if r.HeldOut, err = e.measure("held-out", images(heldOut)); err != nil {
		return nil, err
	}

	g := m.NewGenerator(b, min(o.Batch, o.N))
	defer g.Free(b)
	if o.Loops >= 0 {
		g.Loops = o.Loops
	}
	g.Renoise = o.Renoise
	r.Loops, r.Renoise = g.Loops, o.Renoise
	if o.Uniform && m.Prior != nil {
		kept := m.Prior
		m.Prior = nil
		defer func() { m.Prior = kept }()
	}
	if o.Temperature > 0 {
		kept := m.Temperature
		m.Temperature = o.Temperature
		defer func() { m.Temperature = kept }()
	}
	r.Prior = "uniform"
	if m.Prior != nil {
		r.Prior = fmt.Sprintf("%d-component Gaussian mixture, temperature %g", m.Prior.Components(), m.Temperature)
	}
	add, done = o.stage("sphere coverage", "points", 3*heldOut.N)
	r.Coverage, err = coverage(b, m, g, classifier.SetImages(set, true, CoverageReference), heldOutEncoded, o.Batch, o.Seed, add)
	done()
	if err != nil {
		return nil, err
	}
	for _, steps := range o.Steps {
		label := fmt.Sprintf("N=%d", steps)
		add, done := o.stage("generate "+label, "images", o.N)
		_, refined, err := g.Sample(b, o.Seed, o.N, steps, o.Euler, add)
		done()
		if err != nil {
			return nil, err
		}
		met, err := e.measure(label, refined)
		if err != nil {
			return nil, err
		}
		r.Generated = append(r.Generated, Row{Steps: steps, Metrics: met, Samples: refined[:min(o.Grid, len(refined))]})
	}
	return r, nil
}

// checkGenerator says why m's images cannot be compared with set's, if they cannot.
func checkGenerator(m *gen.Model, set *data.Set) error {
	if c := m.Cfg; c.Image != set.Size || c.Channels != 3 {
		return fmt.Errorf("eval: the generator makes %d-pixel images of %d channels, %s has %d-pixel RGB images", c.Image, c.Channels, set.Name, set.Size)
	}
	return nil
}

// classify runs the classifier on src with a progress bar.
func (e *Evaluator) classify(label string, src classifier.Images) (classifier.Outputs, error) {
	add, done := e.o.stage(label, "images", src.N)
	defer done()
	return e.clf.Apply(e.b, src, classifier.ApplyBatch, add)
}

// measure computes the metrics of ims: [n][pixels] against the training split.
func (e *Evaluator) measure(label string, ims [][]float32) (Metrics, error) {
	out, err := e.classify("classify "+label, classifier.SliceImages(ims, e.train.Pixels))
	if err != nil {
		return Metrics{}, err
	}
	stats, err := quality.NewStats(out.Features)
	if err != nil {
		return Metrics{}, err
	}
	met := Metrics{Images: len(ims), Classes: classifier.ClassShares(out.Probs, e.clf.Cfg.Classes)}
	if met.FD, err = quality.Frechet(stats, e.ref); err != nil {
		return Metrics{}, err
	}
	if real := spread(e.feats, len(ims)); len(real) > ManifoldK && len(ims) > ManifoldK {
		p, r, err := quality.PrecisionRecall(real, out.Features, ManifoldK)
		if err != nil {
			return Metrics{}, err
		}
		met.Precision, met.Recall = &p, &r
	}
	if e.o.Confident {
		share := classifier.ConfidentShare(out.Probs, ConfidentAt)
		met.Confident = &share
	}
	add, done := e.o.stage("nearest training image, "+label, "images", len(ims))
	dist, err := nearest(e.b, ims, e.train, add)
	done()
	if err != nil {
		return Metrics{}, err
	}
	met.Nearest = mean(dist)
	return met, nil
}

// spread picks n rows of rows evenly spaced (all of them if there are at most n), so that
// the real set of a precision and recall measurement is as large as the set it judges and
// spans the whole split, whatever its order.
func spread(rows [][]float32, n int) [][]float32 {
	if n >= len(rows) {
		return rows
	}
	out := make([][]float32, n)
	for i := range out {
		out[i] = rows[i*len(rows)/n]
	}
	return out
}

// images reads every image of src: [N][pixels].
func images(src classifier.Images) [][]float32 {
	flat := make([]float32, src.N*src.Pixels)
	src.Fill(flat, 0, src.N)
	out := make([][]float32, src.N)
	for i := range out {
		out[i] = flat[i*src.Pixels : (i+1)*src.Pixels]
	}
	return out
}
