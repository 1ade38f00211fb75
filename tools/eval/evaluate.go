package main

import (
	"fmt"
	"io"

	"flowsphere/model/backends"
	"flowsphere/model/classifier"
	"flowsphere/model/data"
	"flowsphere/model/eval"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/tools/internal/progress"
	"flowsphere/weights"
)

// evaluate measures the generator f.weights on set and writes the table (or JSON) to w and
// the figures to f.out.
func evaluate(f flags, set *data.Set, w io.Writer) error {
	notes := progress.Stderr.Notes()
	if _, err := readGenerator(f.weights, set); err != nil {
		return err // before the backend and the classifier load
	}
	b, clf, release, err := instruments(f, set)
	if err != nil {
		return err
	}
	defer release()
	m, err := openGenerator(b, f.weights, set)
	if err != nil {
		return err
	}
	defer m.Free(b)
	fmt.Fprintf(notes, "%s: %s config, %d parameters; %s; classifier %s\n", f.weights, m.Cfg.Name, m.Params.Count(), backends.Describe(b), f.classifier)

	o := f.eval
	o.Progress = progress.Stages
	r, err := eval.Run(b, m, clf, set, o)
	if err != nil {
		return err
	}
	if f.json {
		err = writeJSON(w, struct {
			Weights        string `json:"weights"`
			ClassifierFile string `json:"classifier_file"`
			Seed           uint64 `json:"seed"`
			*eval.Report
		}{f.weights, f.classifier, o.Seed, r})
	} else {
		err = writeTable(w, f, r)
	}
	if err != nil {
		return err
	}
	written, err := writeFigures(f.out, r, m.Cfg.Image)
	if err != nil {
		return err
	}
	for _, p := range written {
		fmt.Fprintf(notes, "wrote %s\n", p)
	}
	return nil
}

// readGenerator reads a generator weight file, refusing one trained on another dataset.
func readGenerator(path string, set *data.Set) (*weights.File, error) {
	file, err := weights.ReadFile(path, weights.DefaultLimits)
	if err != nil {
		return nil, err
	}
	if ds := file.Metadata["dataset"]; ds != "" && ds != set.Name {
		return nil, fmt.Errorf("%s was trained on %s, not %s; evaluate it with -data %s", path, ds, set.Name, ds)
	}
	return file, nil
}

// openGenerator loads the generator weight file at path onto b (see readGenerator).
func openGenerator(b tensor.Backend, path string, set *data.Set) (*gen.Model, error) {
	file, err := readGenerator(path, set)
	if err != nil {
		return nil, err
	}
	m, err := gen.Open(b, file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// instruments opens the backend and on it the classifier of set; release frees both.
func instruments(f flags, set *data.Set) (b tensor.Backend, clf *classifier.Classifier, release func(), err error) {
	if b, err = backends.Open(f.backend, progress.Stderr.Notes()); err != nil {
		return nil, nil, nil, err
	}
	if clf, err = loadClassifier(b, f, set); err != nil {
		b.Close()
		return nil, nil, nil, err
	}
	return b, clf, func() {
		clf.Free(b)
		b.Close()
	}, nil
}
