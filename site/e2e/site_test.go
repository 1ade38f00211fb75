package e2e

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"flowsphere/tools/serve/static"
)

// repo is the repository root, seen from this package's folder.
const repo = "../.."

// site is the test site, built once for all tests: index.html and site/ copied from the
// repository, site/app.wasm built from ./wasm now (so a stale build cannot pass), and the
// fixtures in e2e/; served by tools/serve's handler on a loopback port.
var site struct {
	once sync.Once
	root string
	srv  *httptest.Server
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if site.srv != nil {
		site.srv.Close()
	}
	if site.root != "" {
		os.RemoveAll(site.root)
	}
	os.Exit(code)
}

// siteURL builds and serves the site on first use and returns its base URL.
func siteURL(t *testing.T) string {
	t.Helper()
	site.once.Do(func() {
		site.root, site.err = os.MkdirTemp("", "flowsphere-e2e-site")
		if site.err == nil {
			site.err = buildSite(site.root)
		}
		if site.err == nil {
			site.srv = httptest.NewServer(static.Handler(site.root))
		}
	})
	if site.err != nil {
		t.Fatalf("building the test site: %v", site.err)
	}
	return site.srv.URL + "/"
}

// fixture is the path of a fixture file in the test site.
func fixture(name string) string { return filepath.Join(site.root, "e2e", name) }

// buildSite writes the whole site into root, as ./build.sh site lays it out, with the
// default weight file that the page falls back to.
func buildSite(root string) error {
	scripts, _ := filepath.Glob(filepath.Join(repo, "site", "*.js"))
	styles, _ := filepath.Glob(filepath.Join(repo, "site", "*.css"))
	page := []string{filepath.Join(repo, "index.html"), filepath.Join(repo, defaultWeights)}
	for _, src := range append(append(scripts, styles...), page...) {
		rel, _ := filepath.Rel(repo, src)
		if rel == filepath.Join("site", "wasm_exec.js") { // generated; copied from GOROOT below
			continue
		}
		if err := copyFile(filepath.Join(root, rel), src); err != nil {
			return err
		}
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	if err := copyFile(filepath.Join(root, "site", "wasm_exec.js"), filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")); err != nil {
		return err
	}
	wasm := filepath.Join(root, "site", "app.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s", "-o", wasm, "./wasm")
	build.Dir = repo
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("GOOS=js GOARCH=wasm go build ./wasm: %v\n%s", err, out)
	}
	if err := gzipFile(wasm+".gz", wasm); err != nil {
		return err
	}
	return writeFixtures(filepath.Join(root, "e2e"))
}

// copyFile copies src to dst, making dst's folder.
func copyFile(dst, src string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// gzipFile writes src gzip-compressed to dst.
func gzipFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	if _, err := io.Copy(zw, in); err != nil {
		out.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
