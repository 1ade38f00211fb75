package perf

import (
	"slices"
	"testing"

	"flowsphere/weights"
)

// TestSelect checks which jobs a -only (or ?bench&only=) text selects, in the jobs' order.
func TestSelect(t *testing.T) {
	jobs := Jobs([]StepShape{SmallFineTune, SmallStep}, func() (*weights.File, error) { return nil, nil })
	tests := []struct {
		only string
		want []string
	}{
		{"generate", []string{"generate/b16/N4"}},
		{"step", []string{"step/small/b8", "step/small/b32"}},
		{"attention/forward", []string{"attention/forward/T64", "attention/forward/T192"}},
		{"generate,matmul/xwt/2048x128", []string{"matmul/xwt/2048x128", "generate/b16/N4"}},
		{"nothing", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, j := range Select(jobs, tc.only) {
			got = append(got, j.Name())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Select(%q) = %v, want %v", tc.only, got, tc.want)
		}
	}
	if n := len(Select(jobs, "")); n != len(jobs) {
		t.Errorf("Select(\"\") keeps %d of %d jobs", n, len(jobs))
	}
}
