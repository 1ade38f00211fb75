// Command bench measures GFLOP/s of the machine's sgemm (perf.PeakShape: one large product
// per thread at once), of the matmul training layouts and of attention at the model's
// shapes, small-config training steps at batch 8 and 32 and a generation of the app's first
// grid (16 images at N = 4, with the weight file's loops and prior) in images/s and model
// GFLOP/s, on every peer in one run — gonum's Sgemm, the CPU backend on its blocked pure-Go
// kernel and on OpenBLAS (and, with -ref, on its reference loops), and WebGPU — and prints
// them with the ratios (go/gonum, blas/go, …), the BLAS step's share of the run's best sgemm
// rate, each peer's generation rate over its batch-32 step rate and, on WebGPU, the
// dispatches, submissions and readbacks of one step or generation, as a table or as JSON
// with -json.
//
// It imports model/backends, model/perf, model/tensor, tools/internal/progress and weights.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"flowsphere/model/backends"
	"flowsphere/model/perf"
	"flowsphere/model/tensor"
	"flowsphere/tools/internal/progress"
	"flowsphere/weights"
)

// Row is one workload's measurements: GFLOP/s by peer name, and the perf.Ratios of them.
// Op is "sgemm", "matmul", "attention", "step" (a joint training step, shape
// "small/b8" or "small/b32") or "generate" (shape "b16/N4").
type Row struct {
	Op     string             `json:"op"`
	Shape  string             `json:"shape"`
	GFLOPs map[string]float64 `json:"gflops"`
	Images map[string]float64 `json:"images_per_s,omitempty"` // steps and generations
	Ratios map[string]float64 `json:"ratios,omitempty"`
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

// Report is the whole run.
type Report struct {
	Peers []PeerInfo `json:"peers"`
	Notes []string   `json:"notes,omitempty"` // peers that could not run, and why
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

// job is one workload: how to prepare it on a peer (nil where the peer lacks it), which
// returns the workload and, for generations, the model's loop count.
type job struct {
	op, shape string
	prepare   func(perf.Peer) func() (*perf.Workload, int, error)
}

// infallible adapts a workload constructor that cannot fail.
func infallible[S any](f func(S) *perf.Workload, s S) func() (*perf.Workload, int, error) {
	if f == nil {
		return nil
	}
	return func() (*perf.Workload, int, error) { return f(s), 0, nil }
}

// fallible adapts a workload constructor that can fail.
func fallible[S any](f func(S) (*perf.Workload, error), s S) func() (*perf.Workload, int, error) {
	if f == nil {
		return nil
	}
	return func() (*perf.Workload, int, error) {
		w, err := f(s)
		return w, 0, err
	}
}

func main() {
	asJSON := flag.Bool("json", false, "print JSON instead of a table")
	minTime := flag.Duration("time", 300*time.Millisecond, "minimum measuring time per workload and peer")
	only := flag.String("only", "", "run only workloads whose name contains this text (e.g. matmul/xwt or attention)")
	noGPU := flag.Bool("cpu-only", false, "skip WebGPU")
	ref := flag.Bool("ref", false, "also measure the CPU reference matmul (plain loops; slow)")
	weightsFile := flag.String("weights", "weights/emoji32.safetensors.zst", "the weight file whose model the generation row runs")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: bench [-json] [-time D] [-only TEXT] [-cpu-only] [-ref] [-weights FILE]")
		fmt.Fprintln(flag.CommandLine.Output(), "\nGFLOP/s of matmul layouts and attention on gonum, the CPU backend's matmul paths and WebGPU, with ratios.")
		flag.PrintDefaults()
	}
	flag.Parse()

	var rep Report
	peers, err := perf.CPUPeers(*ref)
	if err != nil {
		rep.Notes = append(rep.Notes, err.Error())
	}
	if !*noGPU {
		b, err := backends.Open("webgpu", os.Stderr)
		if err != nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("no WebGPU: %v", err))
		} else {
			defer b.Close()
			p := perf.BackendPeer("webgpu", b)
			p.Detail = backends.Describe(b)
			peers = append(peers, p)
		}
	}
	for _, p := range peers {
		rep.Peers = append(rep.Peers, PeerInfo{p.Name, p.Detail})
	}

	peak := perf.PeakShape()
	jobs := []job{{"sgemm", peak.Name(), func(p perf.Peer) func() (*perf.Workload, int, error) {
		return infallible(p.MatMul, peak)
	}}}
	for _, s := range perf.MatMulShapes() {
		jobs = append(jobs, job{"matmul", s.Name(), func(p perf.Peer) func() (*perf.Workload, int, error) {
			return infallible(p.MatMul, s)
		}})
	}
	for _, s := range perf.AttentionShapes() {
		jobs = append(jobs, job{"attention", s.Name(), func(p perf.Peer) func() (*perf.Workload, int, error) {
			return infallible(p.Attention, s)
		}})
	}
	for _, s := range []perf.StepShape{perf.SmallFineTune, perf.SmallStep} {
		jobs = append(jobs, job{"step", s.Name(), func(p perf.Peer) func() (*perf.Workload, int, error) {
			return fallible(p.Step, s)
		}})
	}
	jobs = append(jobs, job{"generate", perf.FirstGrid.Name(), func(p perf.Peer) func() (*perf.Workload, int, error) {
		if p.Generation == nil {
			return nil
		}
		return func() (*perf.Workload, int, error) {
			f, err := weights.ReadFile(*weightsFile, weights.DefaultLimits)
			if err != nil {
				return nil, 0, err
			}
			return p.Generation(f, perf.FirstGrid)
		}
	}})
	var selected []job
	for _, j := range jobs {
		if strings.Contains(j.op+"/"+j.shape, *only) {
			selected = append(selected, j)
		}
	}

	bar := progress.New(os.Stderr, "bench", "workloads", len(selected))
	for _, j := range selected {
		row := Row{Op: j.op, Shape: j.shape, GFLOPs: map[string]float64{}, Images: map[string]float64{}, Work: map[string]Work{}}
		for _, p := range peers {
			prepare := j.prepare(p)
			if prepare == nil {
				continue
			}
			w, loops, err := prepare()
			if err != nil {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s %s on %s: %v", j.op, j.shape, p.Name, err))
				continue
			}
			row.Loops = loops
			if w.Work != (tensor.WorkCounts{}) {
				row.Work[p.Name] = Work{w.Work.Dispatches, w.Work.Submissions, w.Work.Readbacks}
			}
			sec := measure(w, *minTime)
			row.GFLOPs[p.Name] = w.FLOPs / sec / 1e9
			if w.Images > 0 {
				row.Images[p.Name] = float64(w.Images) / sec
			}
		}
		row.Ratios = perf.Ratios(row.GFLOPs)
		rep.Rows = append(rep.Rows, row)
		bar.Add(1)
	}
	bar.Done()
	rep.Utilisation = utilisation(rep.Rows)
	rep.GenerationVsStep = generationVsStep(rep.Rows)

	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fail(err)
		}
		return
	}
	printTable(rep)
}

// printTable prints the peers, the notes and one line per workload: GFLOP/s by peer, then
// the ratios, in perf.RatioPairs order; peers and ratios that no row has are left out.
func printTable(rep Report) {
	for _, p := range rep.Peers {
		fmt.Printf("%-7s %s\n", p.Name+":", p.Detail)
	}
	for _, n := range rep.Notes {
		fmt.Println("note:", n)
	}
	fmt.Println()
	var peers, ratios []string
	for _, p := range rep.Peers {
		if anyRow(rep.Rows, func(r Row) bool { return r.GFLOPs[p.Name] > 0 }) {
			peers = append(peers, p.Name)
		}
	}
	for _, pair := range perf.RatioPairs {
		name := pair[0] + "/" + pair[1]
		if anyRow(rep.Rows, func(r Row) bool { return r.Ratios[name] > 0 }) {
			ratios = append(ratios, name)
		}
	}
	w := tabwriter.NewWriter(os.Stdout, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "op\tshape\t")
	for _, p := range peers {
		fmt.Fprintf(w, "%s GFLOP/s\t", p)
	}
	fmt.Fprintln(w, strings.Join(ratios, "\t")+"\t")
	for _, r := range rep.Rows {
		fmt.Fprintf(w, "%s\t%s\t", r.Op, r.Shape)
		for _, p := range peers {
			fmt.Fprintf(w, "%s\t", num(r.GFLOPs[p]))
		}
		for _, name := range ratios {
			fmt.Fprintf(w, "%s\t", num(r.Ratios[name]))
		}
		fmt.Fprintln(w)
	}
	w.Flush()
	for _, r := range rep.Rows {
		for _, p := range peers {
			if v := r.Images[p]; v > 0 {
				fmt.Printf("%s %s on %s: %.2f images/s", r.Op, r.Shape, p, v)
				if r.Op == "generate" {
					fmt.Printf(" (%d loops)", r.Loops)
				}
				if w, ok := r.Work[p]; ok {
					fmt.Printf(", %d dispatches, %d submissions, %d readbacks", w.Dispatches, w.Submissions, w.Readbacks)
				}
				fmt.Println()
			}
		}
	}
	if rep.Utilisation > 0 {
		fmt.Printf("BLAS step utilisation: %.0f %% of the run's best sgemm GFLOP/s\n", 100*rep.Utilisation)
	}
	for _, p := range peers {
		if v := rep.GenerationVsStep[p]; v > 0 {
			fmt.Printf("generation on %s: %.0f %% of the batch-32 step's GFLOP/s\n", p, 100*v)
		}
	}
}

// anyRow says whether f holds for some row.
func anyRow(rows []Row, f func(Row) bool) bool {
	for _, r := range rows {
		if f(r) {
			return true
		}
	}
	return false
}

// measure times a workload, frees it and returns seconds per call.
func measure(w *perf.Workload, minTime time.Duration) float64 {
	defer w.Free()
	sec, err := perf.Measure(w, minTime)
	if err != nil {
		fail(err)
	}
	return sec
}

// utilisation is the BLAS step's GFLOP/s over the best BLAS sgemm or matmul GFLOP/s among
// rows, or 0.
func utilisation(rows []Row) float64 {
	step, best := 0.0, 0.0
	for _, r := range rows {
		switch r.Op {
		case "step":
			if r.Shape == perf.SmallStep.Name() {
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
		case r.Op == "step" && r.Shape == perf.SmallStep.Name():
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

// num formats a measurement, "-" where there is none.
func num(v float64) string {
	if v == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
