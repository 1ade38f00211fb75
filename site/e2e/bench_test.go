package e2e

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"flowsphere/model/perf"
)

// benchPage runs ?bench on small workloads: one product and one attention at the model's
// shapes, training steps of the tiny config and a generation of the tiny model (2 loops).
const benchPage = "?bench&steps=tiny&time=10ms&weights=e2e/" + tinyWeights +
	"&only=matmul/xwt/2048x128,attention/forward/T64,step,generate"

// benchTimeout bounds ?bench on SwiftShader, where a tiny step records hundreds of
// dispatches and each workload runs a few times.
const benchTimeout = 10 * time.Minute

// TestBench: ?bench writes what `tools/bench -json` prints into #bench: the peers (the CPU
// path, "go", and WebGPU), a row per workload asked for, in tools/bench's order and names,
// with each peer's GFLOP/s, images/s and seconds for the steps and the generation, and
// WebGPU's dispatches, submissions and readbacks of one call.
func TestBench(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	tb.open(benchPage)
	out := poll(tb, "#bench's data-done", `(() => { const p = document.getElementById("bench"); return p.dataset.done === "1" ? p.textContent : ""; })()`,
		benchTimeout, func(s string) bool { return s != "" })
	var rep perf.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("#bench is not a bench report: %v\n%.500s", err, out)
	}
	var peers []string
	for _, p := range rep.Peers {
		peers = append(peers, p.Name)
	}
	if !slices.Equal(peers, []string{"go", "webgpu"}) {
		skipOrFail(t, "the peers are %v, want go and webgpu (notes: %q)", peers, rep.Notes)
	}
	if len(rep.Notes) > 0 {
		t.Errorf("notes %q", rep.Notes)
	}
	want := []string{"matmul/xwt/2048x128", "attention/forward/T64", "step/tiny/b8", "step/tiny/b32", "generate/b16/N4"}
	var names []string
	for _, r := range rep.Rows {
		names = append(names, r.Op+"/"+r.Shape)
	}
	if !slices.Equal(names, want) {
		t.Fatalf("rows %v, want %v", names, want)
	}
	for _, r := range rep.Rows {
		whole := r.Op == "step" || r.Op == "generate" // a whole step or grid, not one op
		for _, p := range peers {
			if r.GFLOPs[p] <= 0 || whole && (r.Images[p] <= 0 || r.Seconds[p] <= 0) {
				t.Errorf("%s/%s on %s: %.3g GFLOP/s, %.3g images/s, %.3g s", r.Op, r.Shape, p, r.GFLOPs[p], r.Images[p], r.Seconds[p])
			}
		}
		if w := r.Work["webgpu"]; whole && (w.Dispatches == 0 || w.Submissions == 0) {
			t.Errorf("%s/%s: WebGPU's work %+v, want its dispatches and submissions", r.Op, r.Shape, w)
		}
		if r.Ratios["webgpu/go"] <= 0 {
			t.Errorf("%s/%s: no webgpu/go ratio in %v", r.Op, r.Shape, r.Ratios)
		}
	}
	if g := rep.Rows[4]; g.Loops != 2 || g.Work["webgpu"].Readbacks == 0 {
		t.Errorf("the generation ran %d loops with %d readbacks; want the file's 2, and its images read back", g.Loops, g.Work["webgpu"].Readbacks)
	}
	t.Logf("%s\n%s", tb.status().Text, out)
}
