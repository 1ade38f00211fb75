package progress

import (
	"strings"
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name      string
		done      int
		base      int
		elapsed   time.Duration
		wantParts []string
	}{
		{"start", 0, 0, 0, []string{"0/10 steps", "ETA ?", "[........................]"}},
		{"half", 5, 0, 10 * time.Second, []string{"5/10 steps", "0.50 steps/s", "ETA 10s", "[############............]"}},
		{"done", 10, 0, 20 * time.Second, []string{"10/10", "ETA 0s", "[########################]"}},
		{"resumed", 8, 4, 4 * time.Second, []string{"8/10 steps", "1.00 steps/s", "ETA 2s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Unix(1000, 0)
			b := &Bar{Label: "train", Unit: "steps", Total: 10, done: tc.done, base: tc.base, start: start}
			line := b.Line(start.Add(tc.elapsed))
			for _, p := range tc.wantParts {
				if !strings.Contains(line, p) {
					t.Errorf("%q lacks %q", line, p)
				}
			}
		})
	}
}
