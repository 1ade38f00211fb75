package perf

import (
	"fmt"
	"time"

	"flowsphere/model/tensor"
)

// Row is one workload's measurements: GFLOP/s by peer name, and the Ratios of them.
// Op is "sgemm", "matmul", "attention", "step" (a joint training step, shape "small/b8"
// or "small/b32") or "generate" (shape "b16/N4").
type Row struct {
	Op     string             `json:"op"`
	Shape  string             `json:"shape"`
	GFLOPs map[string]float64 `json:"gflops"`
	Images map[string]float64 `json:"images_per_s,omitempty"` // steps and generations
	// Seconds is one call's time by peer, on steps and generations (a generation of the
	// first grid is what a visitor waits for).
	Seconds map[string]float64 `json:"seconds,omitempty"`
	Ratios  map[string]float64 `json:"ratios,omitempty"`
	// Work is one call's dispatches, submissions and readbacks by peer, for the peers that
	// count them (WebGPU), on steps and generations.
	Work map[string]Work `json:"work,omitempty"`
	// Loops is the weight file's encode→decode loop count, on generations.
	Loops int `json:"loops,omitempty"`
}

// Work is what one call records and runs on a device backend.
type Work struct {
	Dispatches  int `json:"dispatches"`
	Submissions int `json:"submissions"`
	Readbacks   int `json:"readbacks"`
}

// Report is a whole benchmark run, as `tools/bench -json` prints it and the page's ?bench
// shows it.
type Report struct {
	Peers []PeerInfo `json:"peers"`
	Notes []string   `json:"notes,omitempty"` // peers and workloads that could not run, and why
	Rows  []Row      `json:"rows"`
	// Utilisation is the BLAS training step's model GFLOP/s over the best BLAS sgemm or
	// matmul GFLOP/s of the run (0 when either did not run).
	Utilisation float64 `json:"blas_step_utilisation,omitempty"`
	// GenerationVsStep is, per peer, the generation's model GFLOP/s over that of the
	// batch-32 training step in the same run: how well inference uses the backend.
	GenerationVsStep map[string]float64 `json:"generate_vs_step,omitempty"`
}

// PeerInfo names a peer and what it runs.
type PeerInfo struct {
	Name   string `json:"name"`
	Detail string `json:"detail"`
}

// NewReport starts a report of peers, with notes on those that could not run.
func NewReport(peers []Peer, notes ...string) *Report {
	r := &Report{Notes: notes}
	for _, p := range peers {
		r.Peers = append(r.Peers, PeerInfo{p.Name, p.Detail})
	}
	return r
}

// Measure times j on each of peers that has it (calling before, if not nil, before each)
// and adds its row; a workload that cannot be prepared or fails is a note.
func (r *Report) Measure(j Job, peers []Peer, minTime time.Duration, before func(Peer)) {
	row := Row{Op: j.Op, Shape: j.Shape, GFLOPs: map[string]float64{}, Images: map[string]float64{},
		Seconds: map[string]float64{}, Work: map[string]Work{}}
	for _, p := range peers {
		prepare := j.Prepare(p)
		if prepare == nil {
			continue
		}
		if before != nil {
			before(p)
		}
		w, loops, err := prepare()
		if err == nil {
			row.Loops = loops
			if w.Work != (tensor.WorkCounts{}) {
				row.Work[p.Name] = Work{w.Work.Dispatches, w.Work.Submissions, w.Work.Readbacks}
			}
			var sec float64
			sec, err = Measure(w, minTime)
			w.Free()
			if err == nil {
				row.GFLOPs[p.Name] = w.FLOPs / sec / 1e9
				if w.Images > 0 {
					row.Images[p.Name], row.Seconds[p.Name] = float64(w.Images)/sec, sec
				}
			}
		}
		if err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("%s on %s: %v", j.Name(), p.Name, err))
		}
	}
	row.Ratios = Ratios(row.GFLOPs)
	r.Rows = append(r.Rows, row)
}

// Summarise fills in what is computed across rows: Utilisation and GenerationVsStep.
func (r *Report) Summarise() {
	r.Utilisation = utilisation(r.Rows)
	r.GenerationVsStep = generationVsStep(r.Rows)
}

// utilisation is the BLAS step's GFLOP/s over the best BLAS sgemm or matmul GFLOP/s among
// rows, or 0.
func utilisation(rows []Row) float64 {
	step, best := 0.0, 0.0
	for _, r := range rows {
		switch r.Op {
		case "step":
			if r.Shape == SmallStep.Name() {
				step = r.GFLOPs["blas"]
			}
		case "sgemm", "matmul":
			best = max(best, r.GFLOPs["blas"])
		}
	}
	if best == 0 {
		return 0
	}
	return step / best
}

// generationVsStep is, per peer, the generation row's GFLOP/s over that of the batch-32
// step row, where both ran.
func generationVsStep(rows []Row) map[string]float64 {
	var step, generate map[string]float64
	for _, r := range rows {
		switch {
		case r.Op == "step" && r.Shape == SmallStep.Name():
			step = r.GFLOPs
		case r.Op == "generate":
			generate = r.GFLOPs
		}
	}
	out := map[string]float64{}
	for p, g := range generate {
		if s := step[p]; s > 0 && g > 0 {
			out[p] = g / s
		}
	}
	return out
}
