// Command serve serves the flowsphere site — the repository root, with index.html, site/
// and pretrained/ — for a browser on this machine:
//
//	go run ./tools/serve [-addr 127.0.0.1:8080] [-root .] [-quiet]
//
// It listens on the loopback interface unless -addr says otherwise, sends the MIME types
// the page needs (application/wasm for the app), sends the archives that ./build.sh site
// writes in place of site/app.wasm — site/app.wasm.br to browsers that accept Brotli,
// site/app.wasm.gz to those that accept gzip — and logs each request in one line.
//
// It imports tools/serve/static.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"flowsphere/tools/serve/static"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (host:port); 0.0.0.0:8080 makes the site reachable from other machines")
	root := flag.String("root", ".", "folder to serve (the repository root)")
	quiet := flag.Bool("quiet", false, "do not log requests")
	flag.Usage = func() {
		o := flag.CommandLine.Output()
		fmt.Fprintln(o, "usage: serve [-addr 127.0.0.1:8080] [-root .] [-quiet]")
		fmt.Fprintln(o, "\nServes the flowsphere site (index.html, site/, pretrained/) over HTTP.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*addr, *root, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run(addr, root string, quiet bool) error {
	if _, err := os.Stat(filepath.Join(root, "index.html")); err != nil {
		return fmt.Errorf("%s has no index.html: run from the repository root or pass -root", root)
	}
	if _, err := os.Stat(filepath.Join(root, "site", "app.wasm")); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "serve: warning: site/app.wasm is missing; build it with ./build.sh site")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	var log io.Writer = os.Stderr
	if quiet {
		log = io.Discard
	}
	fmt.Printf("serving %s on http://%s/\n", root, ln.Addr())
	srv := &http.Server{
		Handler:           static.Logged(static.Handler(root), log),
		ReadHeaderTimeout: 10 * time.Second,
	}
	return srv.Serve(ln)
}
