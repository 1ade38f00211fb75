package main

import (
	"fmt"
	"image"
	"image/draw"
	"os"
	"path/filepath"

	"flowsphere/model/data"
	"flowsphere/model/eval"
	"flowsphere/tools/internal/plot"
	"flowsphere/tools/internal/samples"
)

// gridCols is the number of images per row of a sample grid.
const gridCols = 8

// writeFigures writes quality.png and samples-stepsN.png per step count into dir and
// returns their paths.
func writeFigures(dir string, r *eval.Report, size int) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, g := range r.Generated {
		if len(g.Samples) == 0 {
			continue
		}
		p := filepath.Join(dir, fmt.Sprintf("samples-steps%d.png", g.Steps))
		if err := samples.WriteGrid(p, g.Samples, size, gridCols); err != nil {
			return nil, err
		}
		written = append(written, p)
	}
	p := filepath.Join(dir, "quality.png")
	if err := data.WritePNG(p, stack(charts(r))); err != nil {
		return nil, err
	}
	return append(written, p), nil
}

// charts are the Fréchet distance and, when measured, the confident share against the step
// count, each with the held-out images' value as a flat reference line. Titles are ASCII:
// the charts' bitmap font has no other glyphs.
func charts(r *eval.Report) []*plot.Chart {
	var steps, fd, conf, prec, rec, lo, hi []float64
	for _, g := range r.Generated {
		steps = append(steps, float64(g.Steps))
		fd = append(fd, g.FD)
		if g.Confident != nil {
			conf = append(conf, *g.Confident)
		}
		if g.Precision != nil {
			prec, rec = append(prec, *g.Precision), append(rec, *g.Recall)
		}
		l, h := minMax(g.Classes)
		lo, hi = append(lo, l), append(hi, h)
	}
	flat := func(v float64) []float64 {
		out := make([]float64, len(steps))
		for i := range out {
			out[i] = v
		}
		return out
	}
	out := []*plot.Chart{{
		Title: fmt.Sprintf("%s: Frechet distance to the training split", r.Dataset), XLabel: "refinement steps",
		Series: []plot.Series{{Name: "generated", X: steps, Y: fd}, {Name: "held-out (real)", X: steps, Y: flat(r.HeldOut.FD)}},
	}}
	if r.HeldOut.Confident != nil {
		out = append(out, &plot.Chart{
			Title: fmt.Sprintf("%s: share classified with confidence >= %.1f", r.Dataset, eval.ConfidentAt), XLabel: "refinement steps",
			Series: []plot.Series{{Name: "generated", X: steps, Y: conf}, {Name: "held-out (real)", X: steps, Y: flat(*r.HeldOut.Confident)}},
		})
	}
	if len(prec) == len(steps) && r.HeldOut.Recall != nil {
		out = append(out, &plot.Chart{
			Title: fmt.Sprintf("%s: precision and recall (k-NN manifolds, k = %d)", r.Dataset, eval.ManifoldK), XLabel: "refinement steps",
			Series: []plot.Series{{Name: "precision", X: steps, Y: prec}, {Name: "recall", X: steps, Y: rec},
				{Name: "held-out recall", X: steps, Y: flat(*r.HeldOut.Recall)}},
		})
	}
	if r.HeldOut.Confident != nil { // classes with one right answer: the histogram's extremes
		lr, hr := minMax(r.HeldOut.Classes)
		out = append(out, &plot.Chart{
			Title: fmt.Sprintf("%s: smallest and largest class share", r.Dataset), XLabel: "refinement steps",
			Series: []plot.Series{{Name: "largest", X: steps, Y: hi}, {Name: "smallest", X: steps, Y: lo},
				{Name: "held-out largest", X: steps, Y: flat(hr)}, {Name: "held-out smallest", X: steps, Y: flat(lr)}},
		})
	}
	return out
}

// stack draws the charts one below the other.
func stack(charts []*plot.Chart) image.Image {
	var imgs []*image.RGBA
	h := 0
	for _, c := range charts {
		img := c.Draw()
		imgs = append(imgs, img)
		h += img.Bounds().Dy()
	}
	out := image.NewRGBA(image.Rect(0, 0, imgs[0].Bounds().Dx(), h))
	y := 0
	for _, img := range imgs {
		draw.Draw(out, img.Bounds().Add(image.Pt(0, y)), img, image.Point{}, draw.Src)
		y += img.Bounds().Dy()
	}
	return out
}
