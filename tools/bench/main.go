// Command bench measures GFLOP/s of the matmul training layouts and of attention at the
// model's shapes on the CPU backend and on WebGPU, with gonum's pure-Go Sgemm on the same
// matmul shapes in the same run as the CPU peer, and prints the ratios (or JSON with -json).
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
	"flowsphere/model/cpu"
	"flowsphere/model/perf"
	"flowsphere/model/tensor"
	"flowsphere/tools/internal/progress"
)

// Row is one workload's measurements. GFLOP/s are 0 where a peer did not run.
type Row struct {
	Op            string  `json:"op"`
	Shape         string  `json:"shape"`
	CPU           float64 `json:"cpu_gflops"`
	Gonum         float64 `json:"gonum_gflops,omitempty"`
	WebGPU        float64 `json:"webgpu_gflops,omitempty"`
	CPUOverGonum  float64 `json:"cpu_over_gonum,omitempty"`
	WebGPUOverCPU float64 `json:"webgpu_over_cpu,omitempty"`
}

// Report is the whole run.
type Report struct {
	CPU     string `json:"cpu"`
	Adapter string `json:"webgpu_adapter,omitempty"`
	Rows    []Row  `json:"rows"`
}

func main() {
	asJSON := flag.Bool("json", false, "print JSON instead of a table")
	minTime := flag.Duration("time", 300*time.Millisecond, "minimum measuring time per workload and backend")
	only := flag.String("only", "", "run only workloads whose name contains this text (e.g. matmul/xwt or attention)")
	noGPU := flag.Bool("cpu-only", false, "skip WebGPU")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: bench [-json] [-time D] [-only TEXT] [-cpu-only]")
		fmt.Fprintln(flag.CommandLine.Output(), "\nGFLOP/s of matmul layouts and attention: CPU backend, gonum Sgemm and WebGPU, with ratios.")
		flag.PrintDefaults()
	}
	flag.Parse()

	ref := cpu.New()
	rep := Report{CPU: ref.Info().Adapter}
	var gpu tensor.Backend
	if !*noGPU {
		b, err := backends.Open("webgpu", os.Stderr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: no WebGPU (%v); measuring the CPU only\n", err)
		} else {
			gpu = b
			defer b.Close()
			rep.Adapter = backends.Describe(b)
		}
	}

	type job struct {
		op, shape string
		flops     float64
		make      func(tensor.Backend) *perf.Workload
		gonum     func() func()
	}
	var jobs []job
	for _, s := range perf.MatMulShapes() {
		jobs = append(jobs, job{"matmul", s.Name(), s.FLOPs(), func(b tensor.Backend) *perf.Workload { return perf.MatMul(b, s) }, func() func() { return gonumSgemm(s) }})
	}
	for _, s := range perf.AttentionShapes() {
		jobs = append(jobs, job{"attention", s.Name(), s.FLOPs(), func(b tensor.Backend) *perf.Workload { return perf.Attention(b, s) }, nil})
	}
	var selected []job
	for _, j := range jobs {
		if strings.Contains(j.op+"/"+j.shape, *only) {
			selected = append(selected, j)
		}
	}

	bar := progress.New(os.Stderr, "bench", "workloads", len(selected))
	for _, j := range selected {
		row := Row{Op: j.op, Shape: j.shape}
		row.CPU = gflops(j.flops, measure(j.make(ref), *minTime))
		if j.gonum != nil {
			row.Gonum = gflops(j.flops, timeFunc(j.gonum(), *minTime))
			row.CPUOverGonum = row.CPU / row.Gonum
		}
		if gpu != nil {
			row.WebGPU = gflops(j.flops, measure(j.make(gpu), *minTime))
			row.WebGPUOverCPU = row.WebGPU / row.CPU
		}
		rep.Rows = append(rep.Rows, row)
		bar.Add(1)
	}
	bar.Done()

	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fail(err)
		}
		return
	}
	fmt.Printf("CPU: %s\nWebGPU: %s\n\n", rep.CPU, orNone(rep.Adapter))
	w := tabwriter.NewWriter(os.Stdout, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "op\tshape\tCPU GFLOP/s\tgonum GFLOP/s\tCPU/gonum\tWebGPU GFLOP/s\tWebGPU/CPU\t")
	for _, r := range rep.Rows {
		fmt.Fprintf(w, "%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t\n", r.Op, r.Shape, r.CPU, num(r.Gonum), num(r.CPUOverGonum), num(r.WebGPU), num(r.WebGPUOverCPU))
	}
	w.Flush()
}

// measure times a workload and frees it.
func measure(w *perf.Workload, minTime time.Duration) float64 {
	defer w.Free()
	sec, err := perf.Measure(w, minTime)
	if err != nil {
		fail(err)
	}
	return sec
}

// timeFunc times a synchronous function like perf.Measure does.
func timeFunc(f func(), minTime time.Duration) float64 {
	f()
	calls, start := 0, time.Now()
	for time.Since(start) < minTime || calls == 0 {
		f()
		calls++
	}
	return time.Since(start).Seconds() / float64(calls)
}

func gflops(flops, sec float64) float64 { return flops / sec / 1e9 }

func num(v float64) string {
	if v == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
