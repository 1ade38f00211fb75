package nn

import (
	"strings"
	"testing"

	"flowsphere/model/cpu"
)

func TestSplitJoin(t *testing.T) {
	b := cpu.New()
	s := &ParamSet{}
	s.Add("a", InitLinear(3), 2, 3)
	s.Add("b", InitOnes, 5)
	s.Allocate(b, 1)
	flat, err := b.Download(s.Values)
	if err != nil {
		t.Fatal(err)
	}
	parts := s.Split(flat)
	if len(parts[0]) != 6 || len(parts[1]) != 5 || parts[1][4] != 1 {
		t.Fatalf("split = %v", parts)
	}
	back, err := s.Join(map[string][]float32{"a": parts[0], "b": parts[1]})
	if err != nil {
		t.Fatal(err)
	}
	for i := range flat {
		if back[i] != flat[i] {
			t.Fatalf("join[%d] = %g, want %g", i, back[i], flat[i])
		}
	}
	tests := []struct {
		name   string
		values map[string][]float32
		want   string
	}{
		{"missing", map[string][]float32{"a": parts[0]}, "no values for parameter b"},
		{"short", map[string][]float32{"a": parts[0][:5], "b": parts[1]}, "has 5 values, want 6"},
	}
	for _, tc := range tests {
		if _, err := s.Join(tc.values); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
