package perf

import (
	"errors"
	"strings"
	"testing"
	"time"

	"flowsphere/model/cpu"
	"flowsphere/weights"
)

// TestReport measures a few small jobs on the CPU backend: each row has the peer's rate (and
// images/s and seconds for the step), and a generation whose weight file cannot be had is a
// note naming it, not a row's rate.
func TestReport(t *testing.T) {
	peers := []Peer{BackendPeer("go", cpu.New())}
	missing := errors.New("no such weight file")
	jobs := Select(Jobs([]StepShape{{Config: "tiny", Batch: 2}}, func() (*weights.File, error) { return nil, missing }),
		"attention/forward/T64,step,generate")
	rep := NewReport(peers, "a note")
	for _, j := range jobs {
		rep.Measure(j, peers, time.Millisecond, nil)
	}
	rep.Summarise()
	if len(rep.Rows) != 3 || len(rep.Peers) != 1 || rep.Peers[0].Name != "go" {
		t.Fatalf("report of %d rows and peers %+v; want 3 rows of peer go", len(rep.Rows), rep.Peers)
	}
	attention, step, generate := rep.Rows[0], rep.Rows[1], rep.Rows[2]
	if attention.Op != "attention" || attention.GFLOPs["go"] <= 0 || len(attention.Seconds) != 0 {
		t.Errorf("attention row %+v", attention)
	}
	if step.Shape != "tiny/b2" || step.GFLOPs["go"] <= 0 || step.Images["go"] <= 0 || step.Seconds["go"] <= 0 {
		t.Errorf("step row %+v", step)
	}
	if generate.Op != "generate" || len(generate.GFLOPs) != 0 {
		t.Errorf("generate row %+v; want no rate", generate)
	}
	if len(rep.Notes) != 2 || !strings.Contains(rep.Notes[1], "generate/b16/N4 on go: "+missing.Error()) {
		t.Errorf("notes %q; want the given one and the missing weight file", rep.Notes)
	}
}
