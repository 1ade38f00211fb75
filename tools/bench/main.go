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
// It imports model/backends, model/perf, tools/internal/progress and weights.
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
	"flowsphere/weights"
)

func main() {
	asJSON := flag.Bool("json", false, "print JSON instead of a table")
	minTime := flag.Duration("time", 300*time.Millisecond, "minimum measuring time per workload and peer")
	only := flag.String("only", "", "run only workloads whose name contains this text or, comma-separated, one of these (e.g. matmul/xwt,attention)")
	noGPU := flag.Bool("cpu-only", false, "skip WebGPU")
	ref := flag.Bool("ref", false, "also measure the CPU reference matmul (plain loops; slow)")
	weightsFile := flag.String("weights", "pretrained/emoji32.safetensors.zst", "the weight file whose model the generation row runs")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: bench [-json] [-time D] [-only TEXT] [-cpu-only] [-ref] [-weights FILE]")
		fmt.Fprintln(flag.CommandLine.Output(), "\nGFLOP/s of matmul layouts and attention on gonum, the CPU backend's matmul paths and WebGPU, with ratios.")
		flag.PrintDefaults()
	}
	flag.Parse()

	peers, err := perf.CPUPeers(*ref)
	var notes []string
	if err != nil {
		notes = append(notes, err.Error())
	}
	if !*noGPU {
		b, err := backends.Open("webgpu", os.Stderr)
		if err != nil {
			notes = append(notes, fmt.Sprintf("no WebGPU: %v", err))
		} else {
			defer b.Close()
			p := perf.BackendPeer("webgpu", b)
			p.Detail = backends.Describe(b)
			peers = append(peers, p)
		}
	}
	rep := perf.NewReport(peers, notes...)
	steps := []perf.StepShape{perf.SmallFineTune, perf.SmallStep}
	file := func() (*weights.File, error) { return weights.ReadFile(*weightsFile, weights.DefaultLimits) }
	selected := perf.Select(perf.Jobs(steps, file), *only)
	bar := progress.New(os.Stderr, "bench", "workloads", len(selected))
	for _, j := range selected {
		rep.Measure(j, peers, *minTime, nil)
		bar.Add(1)
	}
	bar.Done()
	rep.Summarise()

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
func printTable(rep *perf.Report) {
	for _, p := range rep.Peers {
		fmt.Printf("%-7s %s\n", p.Name+":", p.Detail)
	}
	for _, n := range rep.Notes {
		fmt.Println("note:", n)
	}
	fmt.Println()
	var peers, ratios []string
	for _, p := range rep.Peers {
		if anyRow(rep.Rows, func(r perf.Row) bool { return r.GFLOPs[p.Name] > 0 }) {
			peers = append(peers, p.Name)
		}
	}
	for _, pair := range perf.RatioPairs {
		name := pair[0] + "/" + pair[1]
		if anyRow(rep.Rows, func(r perf.Row) bool { return r.Ratios[name] > 0 }) {
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
				fmt.Printf("%s %s on %s: %.2f images/s (%.2f s a call)", r.Op, r.Shape, p, v, r.Seconds[p])
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
func anyRow(rows []perf.Row, f func(perf.Row) bool) bool {
	for _, r := range rows {
		if f(r) {
			return true
		}
	}
	return false
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
