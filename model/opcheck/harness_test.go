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

// familyOps lists each family's ops (a family is the file name of its kernels and cases)
// and whether each op has a backward pass. The op named like its family is the family's
// own, whose cases may have any name; the cases of the others start with the op's name, as
// the family's WGSL entry points do.
var familyOps = map[string]map[string]bool{
	"elementwise": {"fill": false, "axpby": false, "rowaxpby": false, "copy2d": true, "addbroadcast": false},
	"matmul":      {"matmul": true, "sumrows": true, "transpose": true},
	"act":         {"act": true, "swiglu": true},
	"rmsnorm":     {"rmsnorm": true, "spherify": true, "normmodulate": true},
	"rope":        {"rope": true},
	"attention":   {"attention": true},
	"adaln":       {"gateresidual": true},
	"patch":       {"patch": true},
	"loss":        {"smoothl1": true, "mse": true, "cosine": true},
	// Optimisers and the RNG have no backward pass.
	"optim": {"gradclip": false, "adamw": false},
	"muon":  {"momentum": false, "apply": false},
	"rng":   {"rng": false},
}

// opOf returns the op that case c checks, or "" when its family does not list it.
func opOf(c opcheck.Case) string {
	ops := familyOps[c.Family]
	if first, _, _ := strings.Cut(c.Name, " "); first != c.Family {
		if _, ok := ops[first]; ok {
			return first
		}
	}
	if _, ok := ops[c.Family]; ok {
		return c.Family
	}
	return ""
}

// TestTableCoversEveryFamily checks that every op of every family has forward cases and,
// where the op has a backward pass, backward cases: the selftest's promise.
func TestTableCoversEveryFamily(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range opcheck.All() {
		op := opOf(c)
		if op == "" {
			t.Errorf("case %s %q: family %q lists no such op", c.Family, c.Label(), c.Family)
		}
		seen[c.Family+"/"+op+"/"+c.Pass] = true
	}
	for family, ops := range familyOps {
		for op, bwd := range ops {
			if !seen[family+"/"+op+"/forward"] {
				t.Errorf("%s %s has no forward case", family, op)
			}
			if bwd && !seen[family+"/"+op+"/backward"] {
				t.Errorf("%s %s has no backward case", family, op)
			}
		}
	}
}
