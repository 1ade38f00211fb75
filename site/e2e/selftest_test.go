package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"flowsphere/model/opcheck"
)

// selftestTimeout bounds ?selftest: the whole table took 220 s on SwiftShader on a busy
// 2-core machine, a third of it in two 70000-row loss cases.
const selftestTimeout = 15 * time.Minute

// TestSelftest: index.html?selftest runs the shared kernel case table on the browser's
// WebGPU against the CPU reference, and every case passes; where the device has shader-f16,
// every case ran with the f16 matmul variant chosen for products that ask for it. It logs
// the f16 cases' errors.
func TestSelftest(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	start := time.Now()
	tb.open("?selftest")
	out := poll(tb, "#selftest's data-done", `(() => { const p = document.getElementById("selftest"); return p.dataset.done === "1" ? p.textContent : ""; })()`,
		selftestTimeout, func(s string) bool { return s != "" })
	t.Logf("?selftest took %.0f s; #status: %s", time.Since(start).Seconds(), tb.status().Text)
	if !eval[bool](tb, "flowsphereGPU.device !== null") {
		skipOrFail(t, "%s", out) // WebGPU did not start: the page says why
	}
	var results []opcheck.Result
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("#selftest is not the JSON array of results: %v\n%.500s", err, out)
	}
	if want := len(opcheck.All()); len(results) != want {
		t.Errorf("%d results, want one for each of the %d cases", len(results), want)
	}
	f16 := eval[bool](tb, "flowsphereGPU.f16")
	failed := 0
	for _, r := range results {
		if r.F16 != f16 {
			t.Errorf("%s %s: f16 variant chosen %v, but the device's shader-f16 is %v", r.Family, r.Case, r.F16, f16)
		}
		if r.Backend != "webgpu" {
			t.Errorf("%s %s ran on %q, want webgpu", r.Family, r.Case, r.Backend)
		}
		if strings.Contains(r.Case, ": f16 ") { // the README reports these
			t.Logf("%s: max abs %.3g, max rel %.3g (f16 variant: %v)", r.Case, r.MaxAbs, r.MaxRel, r.F16)
		}
		if !r.Pass {
			failed++
			t.Errorf("%s %s: %s", r.Family, r.Case, r.Err)
		}
	}
	t.Logf("%d of %d cases passed on %s (shader-f16: %v)", len(results)-failed, len(results), results[0].Adapter, f16)
}
