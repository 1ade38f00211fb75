// Command bench measures GFLOP/s of the machine's sgemm (perf.PeakShape: one large product
// per thread at once), of the matmul training layouts and of attention at the model's shapes, and a small-config training step in images/s and model GFLOP/s, on every
// peer in one run — gonum's Sgemm, the CPU backend on its blocked pure-Go kernel and on
// OpenBLAS (and, with -ref, on its reference loops), and WebGPU — and prints them with the
// ratios (go/gonum, blas/go, …) and the BLAS step's share of the run's best sgemm rate, as a
// table or as JSON with -json.
//
// It imports model/backends, model/perf and tools/internal/progress.
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
	"flowsphere/tools/internal/progress"
)

// Row is one workload's measurements: GFLOP/s by peer name, and the perf.Ratios of them.
type Row struct {
	Op     string             `json:"op"`
	Shape  string             `json:"shape"`
	GFLOPs map[string]float64 `json:"gflops"`
	Images map[string]float64 `json:"images_per_s,omitempty"` // training steps only
	Ratios map[string]float64 `json:"ratios,omitempty"`
}

// Report is the whole run.
type Report struct {
	Peers []PeerInfo `json:"peers"`
	Notes []string   `json:"notes,omitempty"` // peers that could not run, and why
	Rows  []Row      `json:"rows"`
	// Utilisation is the BLAS training step's model GFLOP/s over the best BLAS sgemm or
	// matmul GFLOP/s of the run (0 when either did not run).
	Utilisation float64 `json:"blas_step_utilisation,omitempty"`
}

// PeerInfo names a peer and what it runs.
type PeerInfo struct {
	Name   string `json:"name"`
	Detail string `json:"detail"`
}

// job is one workload: how to prepare it on a peer (nil where the peer lacks it).
type job struct {
	op, shape string
	prepare   func(perf.Peer) func() (*perf.Workload, error)
}

// infallible adapts a workload constructor that cannot fail.
func infallible[S any](f func(S) *perf.Workload, s S) func() (*perf.Workload, error) {
	if f == nil {
		return nil
	}
	return func() (*perf.Workload, error) { return f(s), nil }
}

func main() {
	asJSON := flag.Bool("json", false, "print JSON instead of a table")
	minTime := flag.Duration("time", 300*time.Millisecond, "minimum measuring time per workload and peer")
	only := flag.String("only", "", "run only workloads whose name contains this text (e.g. matmul/xwt or attention)")
	noGPU := flag.Bool("cpu-only", false, "skip WebGPU")
	ref := flag.Bool("ref", false, "also measure the CPU reference matmul (plain loops; slow)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: bench [-json] [-time D] [-only TEXT] [-cpu-only] [-ref]")
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
	jobs := []job{{"sgemm", peak.Name(), func(p perf.Peer) func() (*perf.Workload, error) {
		return infallible(p.MatMul, peak)
	}}}
	for _, s := range perf.MatMulShapes() {
		jobs = append(jobs, job{"matmul", s.Name(), func(p perf.Peer) func() (*perf.Workload, error) {
			return infallible(p.MatMul, s)
		}})
	}
	for _, s := range perf.AttentionShapes() {
		jobs = append(jobs, job{"attention", s.Name(), func(p perf.Peer) func() (*perf.Workload, error) {
			return infallible(p.Attention, s)
		}})
	}
	jobs = append(jobs, job{"step", perf.SmallStep.Name(), func(p perf.Peer) func() (*perf.Workload, error) {
		if p.Step == nil {
			return nil
		}
		return func() (*perf.Workload, error) { return p.Step(perf.SmallStep) }
	}})
	var selected []job
	for _, j := range jobs {
		if strings.Contains(j.op+"/"+j.shape, *only) {
			selected = append(selected, j)
		}
	}

	bar := progress.New(os.Stderr, "bench", "workloads", len(selected))
	for _, j := range selected {
		row := Row{Op: j.op, Shape: j.shape, GFLOPs: map[string]float64{}, Images: map[string]float64{}}
		for _, p := range peers {
			prepare := j.prepare(p)
			if prepare == nil {
				continue
			}
			w, err := prepare()
			if err != nil {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s %s on %s: %v", j.op, j.shape, p.Name, err))
				continue
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
				fmt.Printf("%s %s on %s: %.2f images/s\n", r.Op, r.Shape, p, v)
			}
		}
	}
	if rep.Utilisation > 0 {
		fmt.Printf("BLAS step utilisation: %.0f %% of the run's best sgemm GFLOP/s\n", 100*rep.Utilisation)
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
			step = r.GFLOPs["blas"]
		case "sgemm", "matmul":
			best = max(best, r.GFLOPs["blas"])
		}
	}
	if best == 0 {
		return 0
	}
	return step / best
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
