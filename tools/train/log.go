package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"

	"flowsphere/model/train"
	"flowsphere/tools/internal/plot"
)

// lossHeader is loss.csv's first row.
var lossHeader = []string{"step", "recon", "pixel", "latent", "flow", "total", "skipped", "lr"}

// lossLog appends reports to loss.csv and keeps them for the plot.
type lossLog struct {
	f    *os.File
	w    *csv.Writer
	rows []train.Report
}

// openLog opens path for appending after step: rows logged after the checkpoint a run resumes
// from are dropped, since the resumed run logs those steps again.
func openLog(path string, step int) (*lossLog, error) {
	var kept []train.Report
	if old, err := os.ReadFile(path); err == nil && step > 0 {
		r := csv.NewReader(strings.NewReader(string(old)))
		recs, err := r.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, rec := range recs[1:] {
			rep, err := parseRow(rec)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			if rep.Step <= step {
				kept = append(kept, rep)
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	l := &lossLog{f: f, w: csv.NewWriter(f)}
	if err := l.w.Write(lossHeader); err != nil {
		return nil, err
	}
	for _, r := range kept {
		if err := l.add(r); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// add appends one report and flushes it to disk.
func (l *lossLog) add(r train.Report) error {
	l.rows = append(l.rows, r)
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	if err := l.w.Write([]string{strconv.Itoa(r.Step), g(r.Recon), g(r.Pixel), g(r.Latent), g(r.Flow), g(r.Total), strconv.Itoa(r.Skipped), g(r.LR)}); err != nil {
		return err
	}
	l.w.Flush()
	return l.w.Error()
}

func parseRow(rec []string) (train.Report, error) {
	if len(rec) != len(lossHeader) {
		return train.Report{}, fmt.Errorf("row %q has %d fields, want %d", rec, len(rec), len(lossHeader))
	}
	var v [8]float64
	for i, s := range rec {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return train.Report{}, fmt.Errorf("row %q: %w", rec, err)
		}
		v[i] = x
	}
	return train.Report{Step: int(v[0]), Recon: v[1], Pixel: v[2], Latent: v[3], Flow: v[4], Total: v[5], Skipped: int(v[6]), LR: v[7]}, nil
}

// plot draws the loss curves on a log scale.
func (l *lossLog) plot(path, title string) error {
	c := plot.Chart{Title: title + ": loss", XLabel: "step", LogY: true}
	series := []struct {
		name string
		get  func(train.Report) float64
	}{
		{"total", func(r train.Report) float64 { return r.Total }},
		{"reconstruction", func(r train.Report) float64 { return r.Recon }},
		{"pixel consistency", func(r train.Report) float64 { return r.Pixel }},
		{"latent consistency", func(r train.Report) float64 { return r.Latent }},
		{"flow", func(r train.Report) float64 { return r.Flow }},
	}
	for _, s := range series {
		var x, y []float64
		for _, r := range l.rows {
			x, y = append(x, float64(r.Step)), append(y, s.get(r))
		}
		c.Series = append(c.Series, plot.Series{Name: s.name, X: x, Y: y})
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := c.WritePNG(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Close flushes and closes the file.
func (l *lossLog) Close() error {
	l.w.Flush()
	return l.f.Close()
}
