package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"flowsphere/model/eval"
)

// writeTable prints the report as a header and one row per image set.
func writeTable(w io.Writer, f flags, r *eval.Report) error {
	rc, c := r.Reconstruction, r.Classifier
	fmt.Fprintf(w, "%s on %s (%s config), seed %d\n", f.weights, r.Dataset, r.Config, f.eval.Seed)
	fmt.Fprintf(w, "reconstruction (AE encode → decode, %d held-out images): PSNR %.2f dB, SSIM %.4f\n", rc.Images, float64(rc.PSNR), rc.SSIM)
	if len(r.Denoised) > 0 {
		fmt.Fprint(w, "refiner x-prediction R(x_t, t) from those decodes plus noise, PSNR (beats the decode's when it uses its conditioning):")
		for _, d := range r.Denoised {
			fmt.Fprintf(w, "  t=%.2f %.2f dB", d.T, float64(d.PSNR))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "classifier: held-out accuracy %.2f %% (%d images), %d features; FD against %d training images\n",
		100*c.Accuracy, c.HeldOut, c.Features, r.Reference)
	cv := r.Coverage
	fmt.Fprintf(w, "sphere coverage, mean angle to the nearest of %d training encodings: held-out encodings %.1f°, drawn points %.1f°, after %d loops %.1f°\n",
		cv.Reference, cv.HeldOut, cv.Random, r.Loops, cv.Looped)
	fmt.Fprintf(w, "sampling: sphere points drawn from the %s prior, %d encode→decode loops (re-noised by %g°), then each row's refinement steps\n\n", r.Prior, r.Loops, r.Renoise)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "set\tsteps\timages\tFD\t"
	if r.HeldOut.Confident != nil {
		header += fmt.Sprintf("conf≥%.1f\t", eval.ConfidentAt)
	}
	fmt.Fprintln(tw, header+"precision\trecall\tclass shares min–max\tNN RMSE\t")
	row := func(name, steps string, m eval.Metrics) {
		line := fmt.Sprintf("%s\t%s\t%d\t%.3f\t", name, steps, m.Images, m.FD)
		if m.Confident != nil {
			line += fmt.Sprintf("%.1f %%\t", 100**m.Confident)
		}
		line += optional(m.Precision) + optional(m.Recall)
		lo, hi := minMax(m.Classes)
		fmt.Fprintln(tw, line+fmt.Sprintf("%.1f–%.1f %%\t%.4f\t", 100*lo, 100*hi, m.Nearest))
	}
	row("held-out (real)", "-", r.HeldOut)
	for _, g := range r.Generated {
		row("generated", fmt.Sprint(g.Steps), g.Metrics)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, g := range r.Generated {
		fmt.Fprintf(w, "\nclass shares at %d steps:", g.Steps)
		for i, s := range g.Classes {
			fmt.Fprintf(w, " %s %.1f %%", r.Classes[i], 100*s)
		}
	}
	_, err := fmt.Fprintln(w, "\n\nFD: Fréchet distance of classifier features to the training split (held-out: the floor).\n"+
		"precision, recall: k-nearest-neighbour manifolds (k = 3) against as many training images; low recall means dropped modes.\n"+
		"class shares: the classifier's labels of the images; the data's are about equal on mnist32.\n"+
		"NN RMSE: mean RMSE on [0, 1] to the nearest training image; far below held-out means copying.")
	return err
}

// optional formats a measure that may be absent, as a table cell.
func optional(v *float64) string {
	if v == nil {
		return "-\t"
	}
	return fmt.Sprintf("%.3f\t", *v)
}

// minMax is the smallest and largest of v (0, 0 when empty).
func minMax(v []float64) (lo, hi float64) {
	if len(v) == 0 {
		return 0, 0
	}
	return slices.Min(v), slices.Max(v)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
