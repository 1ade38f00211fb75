package e2e

import (
	"encoding/json"
	"slices"
	"strings"
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

// f16BenchPage measures the model's three matmul layouts with float32 and f16 operands.
const f16BenchPage = "?bench&time=300ms&only=matmul/f16,matmul/xwt/2048x128,matmul/dyw/2048x128,matmul/dytx/2048x128"

// TestBenchF16: where the browser's device has shader-f16, ?bench runs each f16 row on
// WebGPU next to its float32 row; the log gives WebGPU's f16/f32 speed ratio per layout.
func TestBenchF16(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	tb.open(f16BenchPage)
	// The bench opens its device first; Chromium's SwiftShader has no shader-f16.
	poll(tb, "a WebGPU device", `flowsphereGPU.device !== null || document.getElementById("bench").dataset.done === "1"`,
		benchTimeout, func(b bool) bool { return b })
	if !eval[bool](tb, "flowsphereGPU.f16") {
		t.Skipf("the device has no shader-f16 (adapter %q)", eval[string](tb, "flowsphereGPU.adapter"))
	}
	out := poll(tb, "#bench's data-done", `(() => { const p = document.getElementById("bench"); return p.dataset.done === "1" ? p.textContent : ""; })()`,
		benchTimeout, func(s string) bool { return s != "" })
	var rep perf.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("#bench is not a bench report: %v\n%.500s", err, out)
	}
	gflops := map[string]float64{} // WebGPU's, by shape
	for _, r := range rep.Rows {
		if r.GFLOPs["webgpu"] <= 0 {
			t.Fatalf("%s/%s did not run on WebGPU: %v", r.Op, r.Shape, r.GFLOPs)
		}
		gflops[r.Shape] = r.GFLOPs["webgpu"]
	}
	for _, s := range perf.MatMulF16Shapes() {
		half, full := gflops[s.Name()], gflops[strings.TrimPrefix(s.Name(), "f16/")]
		if half == 0 || full == 0 {
			t.Fatalf("rows %v lack %s or its float32 row", gflops, s.Name())
		}
		t.Logf("%s on WebGPU: f16 %.3g GFLOP/s, f32 %.3g GFLOP/s, f16/f32 %.2f", s.Name(), half, full, half/full)
	}
}
