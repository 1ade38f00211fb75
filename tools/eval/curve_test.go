package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flowsphere/weights"
)

// TestCurve measures two runs' snapshots and checks the table and the plot.
func TestCurve(t *testing.T) {
	dir := t.TempDir()
	f, set := testFlags(dir), stripes(24, 8)
	f.weights = ""
	var out bytes.Buffer
	if err := trainClassifier(f, set, &out); err != nil {
		t.Fatal(err)
	}
	for _, run := range []string{"a", "b"} {
		os.MkdirAll(filepath.Join(dir, run), 0o755)
		for _, step := range []string{"000010", "000020"} {
			writeGenerator(t, filepath.Join(dir, run, run+"-step"+step+weights.Ext), set.Name)
		}
	}
	var err error
	if f.curve, err = parseCurve("r=0.75:" + filepath.Join(dir, "a") + ",r=1:" + filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := curve(f, set, &out); err != nil {
		t.Fatal(err)
	}
	// Two runs × two snapshots × two refinement step counts.
	for _, want := range []string{"held-out (real, 6 images): FD", "r=0.75", "r=1", "train step"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	if rows := strings.Count(out.String(), "\n"); rows != 2+8 {
		t.Errorf("%d lines, want the held-out line, a header and 8 rows:\n%s", rows, out.String())
	}
	fh, err := os.Open(filepath.Join(f.out, "curve.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if _, err := png.Decode(fh); err != nil {
		t.Error(err)
	}
}

// TestCurveRefuses checks the -curve argument and a run folder without snapshots.
func TestCurveRefuses(t *testing.T) {
	for _, bad := range []string{"", "nolabel", ":dir", "label:"} {
		if _, err := parseCurve(bad); err == nil {
			t.Errorf("parseCurve(%q) accepted", bad)
		}
	}
	if _, _, err := snapshots(t.TempDir()); err == nil || !strings.Contains(err.Error(), "-snapshot-every") {
		t.Errorf("empty folder: %v", err)
	}
}
