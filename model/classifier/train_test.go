package classifier

import (
	"math"
	"strings"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/data"
)

// TestTrainSeparable checks that the classifier learns a separable two-class set: every
// held-out image right, a small training loss, confident answers.
func TestTrainSeparable(t *testing.T) {
	b, set, c, res := trained(t)
	if res.Accuracy != 1 || res.Loss > 0.1 || res.Steps != 150 {
		t.Fatalf("after training: %+v, want accuracy 1 and loss below 0.1", res)
	}
	if c.Dataset != set.Name || len(c.ClassNames) != 2 {
		t.Fatalf("dataset %q, classes %q", c.Dataset, c.ClassNames)
	}
	out, err := c.Apply(b, SetImages(set, false, 0), 7, nil) // 7: a padded last batch
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Features) != len(set.Test) || len(out.Features[0]) != c.Cfg.Hidden {
		t.Fatalf("%d feature rows of %d", len(out.Features), len(out.Features[0]))
	}
	if acc := Accuracy(out.Probs, Labels(set, false, 0)); acc != 1 {
		t.Fatalf("accuracy %g with batch 7, want 1", acc)
	}
	if share := ConfidentShare(out.Probs, 0.9); share < 0.9 {
		t.Fatalf("only %g of the answers have confidence ≥ 0.9", share)
	}
}

// TestTrainRefuses checks the errors for sets and options a classifier cannot train on.
func TestTrainRefuses(t *testing.T) {
	good := TrainOptions{Steps: 1, Batch: 2, LR: 1e-3}
	tests := []struct {
		name   string
		change func(s *data.Set, o *TrainOptions)
		want   string
	}{
		{"no labels", func(s *data.Set, o *TrainOptions) { s.Classes = nil }, "no class labels"},
		{"other classes", func(s *data.Set, o *TrainOptions) { s.Classes = append(s.Classes, "x") }, "3 classes"},
		{"label out of range", func(s *data.Set, o *TrainOptions) { s.Train[3].Label = -1 }, "label -1"},
		{"no held-out images", func(s *data.Set, o *TrainOptions) { s.Test = nil }, "held-out"},
		{"zero steps", func(s *data.Set, o *TrainOptions) { o.Steps = 0 }, "must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set, o := halves(8, 4), good
			tc.change(set, &o)
			_, _, err := Train(cpu.New(), set, tinyConfig(), o, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// TestCrossEntropyGradient compares the logits' gradient with central differences of the
// mean loss.
func TestCrossEntropyGradient(t *testing.T) {
	logits := []float32{0.5, -1, 2, 0.1, 0.3, -0.2, 1.5, 1.4, -3}
	labels := []int{2, 0, 0}
	const rows, classes, h = 3, 3, 1e-2
	grad := make([]float32, len(logits))
	loss, correct := crossEntropy(grad, softmax(logits, rows, classes), labels)
	if correct != 2 {
		t.Fatalf("%d rows right, want 2 (rows 0 and 2)", correct)
	}
	scratch := make([]float32, len(logits))
	at := func(i int, d float32) float64 {
		l := append([]float32(nil), logits...)
		l[i] += d
		v, _ := crossEntropy(scratch, softmax(l, rows, classes), labels)
		return v
	}
	for i := range logits {
		num := (at(i, h) - at(i, -h)) / (2 * h)
		if math.Abs(num-float64(grad[i])) > 1e-4 {
			t.Errorf("d loss / d logit %d: analytic %g, numeric %g", i, grad[i], num)
		}
	}
	want := 0.0 // mean of logsumexp(row) − row[label]
	for r, label := range labels {
		sum := 0.0
		for _, v := range logits[r*classes : (r+1)*classes] {
			sum += math.Exp(float64(v))
		}
		want += (math.Log(sum) - float64(logits[r*classes+label])) / rows
	}
	if math.Abs(loss-want) > 1e-6 {
		t.Errorf("loss %g, want %g", loss, want)
	}
}

func TestShift(t *testing.T) {
	// One 3×3 channel: 1 2 3 / 4 5 6 / 7 8 9.
	src := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	tests := []struct {
		name   string
		dx, dy int
		want   []float32
	}{
		{"none", 0, 0, src},
		{"right", 1, 0, []float32{1, 1, 2, 4, 4, 5, 7, 7, 8}},
		{"up", 0, -1, []float32{4, 5, 6, 7, 8, 9, 7, 8, 9}},
		{"far down-left", -5, 5, []float32{3, 3, 3, 3, 3, 3, 3, 3, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]float32, 9)
			shift(got, src, 1, 3, tc.dx, tc.dy)
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
