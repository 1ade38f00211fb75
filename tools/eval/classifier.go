package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"flowsphere/model/classifier"
	"flowsphere/model/cpu"
	"flowsphere/model/data"
	"flowsphere/model/tensor"
	"flowsphere/tools/internal/progress"
	"flowsphere/weights"
)

// defaultClassifier is where the classifier of dataset lives in the repository.
func defaultClassifier(dataset string) string {
	return filepath.Join("pretrained", "classifier-"+dataset+weights.Ext)
}

// trainCommand is the command line that writes the classifier f.classifier for f.data.
func trainCommand(f flags) string {
	cmd := "go run ./tools/eval -train-classifier -data " + f.data
	if f.classifier != defaultClassifier(f.data) {
		cmd += " -classifier " + f.classifier
	}
	return cmd
}

// loadClassifier opens f.classifier on b for set; a missing file is an error that says
// how to train it.
func loadClassifier(b tensor.Backend, f flags, set *data.Set) (*classifier.Classifier, error) {
	file, err := weights.ReadFile(f.classifier, weights.DefaultLimits)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no classifier for %s at %s; train it once (one to two minutes on two CPU cores) with\n\n\t%s\n", f.data, f.classifier, trainCommand(f))
	}
	if err != nil {
		return nil, err
	}
	c, err := classifier.Open(b, file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.classifier, err)
	}
	if err := c.CheckSet(set); err != nil {
		c.Free(b)
		return nil, fmt.Errorf("%s: %w (train one with %s)", f.classifier, err, trainCommand(f))
	}
	return c, nil
}

// trainClassifier trains the default classifier of set on the CPU backend, writes it to
// f.classifier (F16) and prints its held-out accuracy to w.
func trainClassifier(f flags, set *data.Set, w io.Writer) error {
	b := cpu.New()
	defer b.Close()
	o := classifier.DefaultTrainOptions()
	o.Steps = f.classifierSteps
	c, res, err := classifier.Train(b, set, classifier.DefaultConfig(set.Size, len(set.Classes)), o, progress.Stages)
	if err != nil {
		return err
	}
	defer c.Free(b)
	file, err := c.ToFile(b, map[string]string{
		"steps": fmt.Sprint(res.Steps), "batch": fmt.Sprint(o.Batch), "train_images": fmt.Sprint(len(set.Train)),
		"accuracy": fmt.Sprintf("%.4f", res.Accuracy), "seconds": fmt.Sprintf("%.0f", res.Seconds),
		"command": trainCommand(f),
	})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.classifier), 0o755); err != nil {
		return err
	}
	if err := weights.WriteFile(f.classifier, file, weights.F16); err != nil {
		return err
	}
	info, err := os.Stat(f.classifier)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s (%d bytes, %d parameters): %s held-out accuracy %.2f %% (%d images), %d steps in %.0f s on %s\n",
		f.classifier, info.Size(), c.Params.Count(), set.Name, 100*res.Accuracy, len(set.Test), res.Steps, res.Seconds, b.Info().Adapter)
	return nil
}
