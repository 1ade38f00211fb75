package opcheck_test

import (
	"strings"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/opcheck"
	"flowsphere/model/tensor"
)

// wrongFill is a CPU backend whose Fill is off by a little.
type wrongFill struct{ *cpu.Backend[float32] }

func (w wrongFill) Fill(out *tensor.Tensor, value float32) { w.Backend.Fill(out, value+1e-3) }

// strayView is a CPU backend whose views start one element early, so an op writing its
// whole output also writes the guard word before it.
type strayView struct{ *cpu.Backend[float32] }

func (s strayView) View(t *tensor.Tensor, offset int, shape ...int) *tensor.Tensor {
	return s.Backend.View(t, offset-1, shape...)
}

func fillCase() opcheck.Case {
	return opcheck.Case{Family: "elementwise", Pass: "forward", Name: "fill", Run: func(h *opcheck.Harness) {
		out := h.Output(nil, 40)
		h.Run(func(b tensor.Backend, t func(opcheck.Pair) *tensor.Tensor) { b.Fill(t(out), 2) })
		h.Check("out", out, opcheck.Tol{Abs: 1e-6, Why: "exact"})
	}}
}

// TestHarnessFails makes sure the table can fail: a wrong value and a stray write are caught.
func TestHarnessFails(t *testing.T) {
	tests := []struct {
		name    string
		dev     tensor.Backend
		wantErr string
	}{
		{"correct", cpu.New(), ""},
		{"wrong value", wrongFill{cpu.New()}, "out[0]"},
		{"stray write", strayView{cpu.New()}, "guard"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := opcheck.RunCase(fillCase(), cpu.NewReference(), tc.dev)
			if tc.wantErr == "" {
				if !r.Pass {
					t.Fatalf("correct backend failed: %s", r.Err)
				}
				return
			}
			if r.Pass || !strings.Contains(r.Err, tc.wantErr) {
				t.Fatalf("pass=%v err=%q, want a failure mentioning %q", r.Pass, r.Err, tc.wantErr)
			}
		})
	}
}

// TestCaseNamesUnique keeps selftest rows unambiguous.
func TestCaseNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range opcheck.All() {
		key := c.Family + "/" + c.Label()
		if seen[key] {
			t.Errorf("duplicate case %s", key)
		}
		seen[key] = true
	}
}

// TestTableCoversEveryFamily checks that every op family has forward cases and, where the
// family has a backward pass, backward cases: the selftest's promise.
func TestTableCoversEveryFamily(t *testing.T) {
	hasBackward := map[string]bool{
		"elementwise": true, "matmul": true, "act": true, "swiglu": true, "rmsnorm": true,
		"spherify": true, "rope": true, "attention": true, "adaln": true, "patch": true,
		"smoothl1": true, "mse": true, "cosine": true,
		// Optimisers and the RNG have no backward pass.
		"gradclip": false, "adamw": false, "muon": false, "rng": false,
	}
	seen := map[string]bool{}
	for _, c := range opcheck.All() {
		if _, ok := hasBackward[c.Family]; !ok {
			t.Errorf("case %q has unknown family %q", c.Label(), c.Family)
		}
		seen[c.Family+"/"+c.Pass] = true
	}
	for family, bwd := range hasBackward {
		if !seen[family+"/forward"] {
			t.Errorf("family %s has no forward case", family)
		}
		if bwd && !seen[family+"/backward"] {
			t.Errorf("family %s has no backward case", family)
		}
	}
}
