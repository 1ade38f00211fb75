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

// TestReinit redraws only the prefixed parameters, from their own initialisation.
func TestReinit(t *testing.T) {
	b := cpu.New()
	s := &ParamSet{}
	keep := s.Add("ae.w", InitLinear(3), 4)
	redraw := s.Add("ref.w", InitLinear(3), 4)
	ones := s.Add("ref.gain", InitOnes, 2)
	s.Allocate(b, 1)
	b.Fill(s.Values, 7)
	n, err := s.Reinit(b, 2, "ref.")
	if err != nil || n != 2 {
		t.Fatalf("Reinit: %d parameters, %v; want 2", n, err)
	}
	get := func(p *Param) []float32 {
		v, err := b.Download(p.Value)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i, v := range get(keep) {
		if v != 7 {
			t.Errorf("ae.w[%d] = %g, want the kept 7", i, v)
		}
	}
	for i, v := range get(redraw) {
		if !(v > -1 && v < 1) || v == 0 {
			t.Errorf("ref.w[%d] = %g, want a fresh U(±1/√3) draw", i, v)
		}
	}
	for i, v := range get(ones) {
		if v != 1 {
			t.Errorf("ref.gain[%d] = %g, want 1", i, v)
		}
	}
}
