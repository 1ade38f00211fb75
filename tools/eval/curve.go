package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"flowsphere/model/data"
	"flowsphere/model/eval"
	"flowsphere/model/tensor"
	"flowsphere/tools/internal/plot"
	"flowsphere/tools/internal/progress"
	"flowsphere/weights"
)

// curveRun is one training run of a -curve comparison: a label and the run's output folder,
// which holds the weight snapshots NAME-stepNNNNNN.safetensors.zst (tools/train -snapshot-every).
type curveRun struct {
	Label string `json:"label"`
	Dir   string `json:"dir"`
}

// CurvePoint is the measurement of one snapshot.
type CurvePoint struct {
	Run       string     `json:"run"`
	TrainStep int        `json:"train_step"`
	Weights   string     `json:"weights"`
	Generated []eval.Row `json:"generated"`
}

// parseCurve reads "LABEL:DIR,LABEL:DIR".
func parseCurve(s string) ([]curveRun, error) {
	var runs []curveRun
	for _, part := range strings.Split(s, ",") {
		label, dir, ok := strings.Cut(part, ":")
		if !ok || label == "" || dir == "" {
			return nil, fmt.Errorf("%q is not LABEL:DIR", part)
		}
		runs = append(runs, curveRun{label, dir})
	}
	return runs, nil
}

// snapshots lists a run folder's weight snapshots by training step.
func snapshots(dir string) (steps []int, paths []string, err error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*-step[0-9]*"+weights.Ext))
	if err != nil {
		return nil, nil, err
	}
	bySteps := map[int]string{}
	for _, m := range matches {
		name := strings.TrimSuffix(filepath.Base(m), weights.Ext)
		n, err := strconv.Atoi(name[strings.LastIndex(name, "-step")+len("-step"):])
		if err != nil {
			continue // not a snapshot name
		}
		bySteps[n] = m
		steps = append(steps, n)
	}
	if len(steps) == 0 {
		return nil, nil, fmt.Errorf("%s has no weight snapshots (train with -snapshot-every)", dir)
	}
	sort.Ints(steps)
	for _, n := range steps {
		paths = append(paths, bySteps[n])
	}
	return steps, paths, nil
}

// curve measures every snapshot of every run on set, prints a table (or JSON) to w and
// writes curve.png, the Fréchet distance against the training step, into f.out.
func curve(f flags, set *data.Set, w io.Writer) error {
	notes := progress.Stderr.Notes()
	b, clf, release, err := instruments(f, set)
	if err != nil {
		return err
	}
	defer release()
	o := f.eval
	o.Progress, o.Grid = progress.Stages, 0
	ev, err := eval.NewEvaluator(b, clf, set, o)
	if err != nil {
		return err
	}
	var points []CurvePoint
	var heldOut eval.Metrics // the same for every snapshot: real images against the training split
	for _, run := range f.curve {
		steps, paths, err := snapshots(run.Dir)
		if err != nil {
			return err
		}
		for i, path := range paths {
			fmt.Fprintf(notes, "%s: step %d (%s)\n", run.Label, steps[i], path)
			r, err := measureFile(b, ev, path, set)
			if err != nil {
				return err
			}
			points = append(points, CurvePoint{run.Label, steps[i], path, r.Generated})
			heldOut = r.HeldOut
		}
	}
	if f.json {
		err = writeJSON(w, struct {
			Dataset string       `json:"dataset"`
			Images  int          `json:"images"`
			Seed    uint64       `json:"seed"`
			HeldOut eval.Metrics `json:"held_out"`
			Points  []CurvePoint `json:"points"`
		}{set.Name, o.N, o.Seed, heldOut, points})
	} else {
		err = writeCurveTable(w, heldOut, points)
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	p := filepath.Join(f.out, "curve.png")
	if err := writeCurvePlot(p, set.Name, f.curve, o.Steps, points); err != nil {
		return err
	}
	fmt.Fprintf(notes, "wrote %s\n", p)
	return nil
}

// measureFile evaluates the generator weight file at path.
func measureFile(b tensor.Backend, ev *eval.Evaluator, path string, set *data.Set) (*eval.Report, error) {
	m, err := openGenerator(b, path, set)
	if err != nil {
		return nil, err
	}
	defer m.Free(b)
	return ev.Run(m)
}

// writeCurveTable prints the held-out floor, then one row per snapshot and step count.
func writeCurveTable(w io.Writer, heldOut eval.Metrics, points []CurvePoint) error {
	fmt.Fprintf(w, "held-out (real, %d images): FD %.3f", heldOut.Images, heldOut.FD)
	if heldOut.Confident != nil {
		fmt.Fprintf(w, ", conf≥%.1f %.1f %%", eval.ConfidentAt, 100**heldOut.Confident)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "run	train step	refine steps	FD	conf≥0.9	")
	for _, p := range points {
		for _, g := range p.Generated {
			conf := "-"
			if g.Confident != nil {
				conf = fmt.Sprintf("%.1f %%", 100**g.Confident)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%s\t\n", p.Run, p.TrainStep, g.Steps, g.FD, conf)
		}
	}
	return tw.Flush()
}

// writeCurvePlot draws the Fréchet distance against the training step: one line per run and
// refinement step count.
func writeCurvePlot(path, dataset string, runs []curveRun, refine []int, points []CurvePoint) error {
	c := &plot.Chart{Title: dataset + ": Frechet distance during training", XLabel: "training step", LogY: true}
	for _, run := range runs {
		for i, n := range refine {
			s := plot.Series{Name: fmt.Sprintf("%s N=%d", run.Label, n)}
			for _, p := range points {
				if p.Run == run.Label && i < len(p.Generated) {
					s.X = append(s.X, float64(p.TrainStep))
					s.Y = append(s.Y, p.Generated[i].FD)
				}
			}
			c.Series = append(c.Series, s)
		}
	}
	return data.WritePNG(path, c.Draw())
}
