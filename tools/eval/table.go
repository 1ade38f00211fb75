package main

import (
	"encoding/json"
	"fmt"
	"io"
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
	fmt.Fprintf(w, "sphere coverage, mean angle to the nearest of %d training encodings: held-out encodings %.1f°, random points %.1f°, after %d loops %.1f°\n",
		cv.Reference, cv.HeldOut, cv.Random, r.Loops, cv.Looped)
	fmt.Fprintf(w, "sampling: random sphere points, %d encode→decode loops, then each row's refinement steps\n\n", r.Loops)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "set\tsteps\timages\tFD\t"
	if r.HeldOut.Confident != nil {
		header += fmt.Sprintf("conf≥%.1f\t", eval.ConfidentAt)
	}
	fmt.Fprintln(tw, header+"NN RMSE\t")
	row := func(name, steps string, m eval.Metrics) {
		line := fmt.Sprintf("%s\t%s\t%d\t%.3f\t", name, steps, m.Images, m.FD)
		if m.Confident != nil {
			line += fmt.Sprintf("%.1f %%\t", 100**m.Confident)
		}
		fmt.Fprintln(tw, line+fmt.Sprintf("%.4f\t", m.Nearest))
	}
	row("held-out (real)", "-", r.HeldOut)
	for _, g := range r.Generated {
		row("generated", fmt.Sprint(g.Steps), g.Metrics)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nFD: Fréchet distance of classifier features to the training split (held-out: the floor).\n"+
		"NN RMSE: mean RMSE on [0, 1] to the nearest training image; far below held-out means copying.")
	return err
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
