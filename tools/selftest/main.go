// Command selftest runs the shared kernel case table on a backend against the CPU
// reference and prints one row per case (or a JSON array with -json). It exits with status
// 1 when a case fails or when -backend webgpu finds no adapter.
//
// WebGPU is compared with the float32 reference (cpu.NewReference). With -backend cpu the
// fast CPU backend — matmuls on OpenBLAS, or on the blocked pure-Go kernel when OpenBLAS is
// missing or FLOWSPHERE_BLAS=off — is compared with the reference kernels run in float64
// (cpu.New64), which also checks the float32 rounding of the other ops and the guard words.
// The summary line names both backends, and so the matmul path.
//
// It imports model/backends, model/cpu, model/opcheck and model/tensor.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"flowsphere/model/backends"
	"flowsphere/model/cpu"
	"flowsphere/model/opcheck"
	"flowsphere/model/tensor"
)

func main() {
	backend := flag.String("backend", "auto", "backend to check: "+backends.Names)
	asJSON := flag.Bool("json", false, "print a JSON array instead of a table")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: selftest [-backend %s] [-json]\n\n", backends.Names)
		fmt.Fprintln(flag.CommandLine.Output(), "Runs every kernel case on the backend and compares it with the CPU reference.")
		flag.PrintDefaults()
	}
	flag.Parse()
	dev, err := backends.Open(*backend, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "selftest:", err)
		os.Exit(1)
	}
	defer dev.Close()
	var ref tensor.Backend = cpu.NewReference()
	if dev.Info().Backend == "cpu" {
		ref = cpu.New64()
	}
	var results []opcheck.Result
	failed := 0
	for _, c := range opcheck.All() {
		r := opcheck.RunCase(c, ref, dev)
		if !r.Pass {
			failed++
		}
		results = append(results, r)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			fmt.Fprintln(os.Stderr, "selftest:", err)
			os.Exit(1)
		}
	} else {
		printTable(results)
		fmt.Printf("%d passed, %d failed on %s\nreference: %s\n", len(results)-failed, failed, backends.Describe(dev), backends.Describe(ref))
	}
	if failed > 0 {
		os.Exit(1)
	}
}

func printTable(results []opcheck.Result) {
	w := tabwriter.NewWriter(os.Stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(w, "FAMILY\tCASE\tPASS\tMAX ABS\tMAX REL\tBACKEND\tADAPTER\tTYPE")
	for _, r := range results {
		fmt.Fprintf(w, "%s\t%s\t%v\t%.3g\t%.3g\t%s\t%s\t%s\n", r.Family, r.Case, r.Pass, r.MaxAbs, r.MaxRel, r.Backend, r.Adapter, r.AdapterType)
		if r.Err != "" {
			fmt.Fprintf(w, "\t  %s\t\t\t\t\t\t\n", r.Err)
		}
	}
	w.Flush()
}
