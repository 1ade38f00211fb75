package doccheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
)

// module is the module path that go.mod declares.
const module = "flowsphere"

// root is the repository root, three levels above this package.
var root = filepath.Join("..", "..", "..")

// readRoot reads a file by its path from the repository root.
func readRoot(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pkg is one package as `go list` reports it, with project paths relative to the module
// ("model/tensor").
type pkg struct {
	Path        string
	Dir         string
	GoFiles     []string
	Imports     []string // project packages only
	TestImports []string // project packages the tests import (internal and external tests), not itself
}

// listed is what goList returns: every package of the module in the union of the native
// and the js/wasm build, by path.
var (
	listOnce sync.Once
	listed   map[string]*pkg
	listErr  error
)

// goList runs `go list` natively and for GOOS=js GOARCH=wasm and merges the two: a file or
// an import in either build counts.
func goList(t *testing.T) map[string]*pkg {
	t.Helper()
	listOnce.Do(func() {
		listed = map[string]*pkg{}
		for _, env := range [][]string{nil, {"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0"}} {
			if listErr = listInto(listed, env); listErr != nil {
				return
			}
		}
	})
	if listErr != nil {
		t.Fatal(listErr)
	}
	return listed
}

// listInto adds the packages of one `go list` run with extra environment env to pkgs.
func listInto(pkgs map[string]*pkg, env []string) error {
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Dir,GoFiles,Imports,TestImports,XTestImports", "./...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return errors.New("go list: " + err.Error() + "\n" + stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath, Dir                             string
			GoFiles, Imports, TestImports, XTestImports []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if len(p.GoFiles) == 0 {
			continue // no files in this build
		}
		path := strings.TrimPrefix(p.ImportPath, module+"/")
		q := pkgs[path]
		if q == nil {
			q = &pkg{Path: path, Dir: p.Dir}
			pkgs[path] = q
		}
		q.GoFiles = union(q.GoFiles, p.GoFiles)
		q.Imports = union(q.Imports, internal(p.Imports, ""))
		q.TestImports = union(q.TestImports, internal(append(p.TestImports, p.XTestImports...), p.ImportPath))
	}
}

// internal keeps the project's import paths, relative to the module, without self.
func internal(paths []string, self string) []string {
	var out []string
	for _, p := range paths {
		if strings.HasPrefix(p, module+"/") && p != self {
			out = append(out, strings.TrimPrefix(p, module+"/"))
		}
	}
	return out
}

// union returns the sorted distinct elements of a and b.
func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string(nil), a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// sourceFiles walks the repository for files with the given extensions, as paths from the
// root, skipping hidden and underscore folders (version control, caches, scratch) and the
// ignored runs folder.
func sourceFiles(t *testing.T, exts ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		name := d.Name()
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || rel == "runs" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		for _, e := range exts {
			if strings.HasSuffix(name, e) {
				out = append(out, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// headingNumber matches a numbered Markdown heading: "## 4.2 The spherical autoencoder".
var headingNumber = regexp.MustCompile(`(?m)^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s`)

// sections returns the section numbers of a Markdown document.
func sections(md string) map[string]bool {
	out := map[string]bool{}
	for _, m := range headingNumber.FindAllStringSubmatch(md, -1) {
		out[m[1]] = true
	}
	return out
}
