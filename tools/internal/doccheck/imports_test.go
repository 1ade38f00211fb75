package doccheck

import (
	"fmt"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	// sentenceEnd ends a sentence (or its first clause): a full stop before a space or the
	// end of the text, or a semicolon.
	sentenceEnd = regexp.MustCompile(`\.(\s|$)|;`)
	// pathLike is a word that may name a package: "weights", "model/tensor".
	pathLike = regexp.MustCompile(`[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*`)
	// space is a run of white space.
	space = regexp.MustCompile(`\s+`)
)

// importSentence finds the sentence of doc that starts with lead ("It imports") and returns
// the project packages it names (paths in known), in order. It fails when there is no such
// sentence, when the sentence names a path of the module that is no package, or when it names
// no package without saying "nothing of ours".
func importSentence(doc, lead string, known map[string]bool) ([]string, error) {
	doc = space.ReplaceAllString(doc, " ")
	i := strings.Index(doc, lead+" ")
	if i < 0 {
		return nil, fmt.Errorf("no %q sentence", lead+" …")
	}
	s := doc[i+len(lead):]
	if end := sentenceEnd.FindStringIndex(s); end != nil {
		s = s[:end[0]]
	}
	var named []string
	for _, w := range pathLike.FindAllString(s, -1) {
		first, _, _ := strings.Cut(w, "/")
		switch {
		case known[w]:
			named = append(named, w)
		case strings.Contains(w, "/") && !strings.Contains(first, "."):
			return nil, fmt.Errorf("%q names %s, which is no package of this module", lead+s, w)
		}
	}
	if len(named) == 0 && !strings.Contains(s, "nothing of ours") {
		return nil, fmt.Errorf("%q names no package; say \"nothing of ours\" if that is meant", lead+s)
	}
	return named, nil
}

// packageDoc returns the package comment of p's files.
func packageDoc(t *testing.T, p *pkg) string {
	t.Helper()
	fset := token.NewFileSet()
	var doc []string
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil {
			doc = append(doc, f.Doc.Text())
		}
	}
	return strings.Join(doc, "\n")
}

// diff says how named differs from want, which source says, or returns "".
func diff(named, want []string, source string) string {
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(named, w) {
			missing = append(missing, w)
		}
	}
	for _, n := range named {
		if !slices.Contains(want, n) {
			extra = append(extra, n)
		}
	}
	if missing == nil && extra == nil {
		return ""
	}
	return fmt.Sprintf("misses %v and names %v; %s says %v", missing, extra, source, want)
}

// TestImportSentences checks every package's doc comment against `go list`: the sentence
// "It imports …" must name exactly the project packages that the package's files import (in
// the native or the js/wasm build), and a sentence "Its tests import …", where there is
// one, exactly those that its tests import.
func TestImportSentences(t *testing.T) {
	pkgs := goList(t)
	known := map[string]bool{}
	for path := range pkgs {
		known[path] = true
	}
	for _, path := range slices.Sorted(maps.Keys(pkgs)) {
		p := pkgs[path]
		doc := packageDoc(t, p)
		named, err := importSentence(doc, "It imports", known)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		} else if d := diff(named, p.Imports, "go list"); d != "" {
			t.Errorf("%s: its doc comment %s", path, d)
		}
		if !strings.Contains(space.ReplaceAllString(doc, " "), "Its tests import ") {
			continue
		}
		named, err = importSentence(doc, "Its tests import", known)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		} else if d := diff(named, p.TestImports, "go list"); d != "" {
			t.Errorf("%s: its doc comment's tests %s", path, d)
		}
	}
}

// TestImportSentence feeds importSentence the forms it must read and refuse.
func TestImportSentence(t *testing.T) {
	known := map[string]bool{"model/tensor": true, "model/nn": true, "weights": true, "shaders": true}
	tests := []struct {
		doc     string
		want    []string
		wantErr string
	}{
		{"Package x does y.\n\nIt imports model/tensor, model/nn and\nweights.", []string{"model/tensor", "model/nn", "weights"}, ""},
		{"It imports model/tensor only; callers pass the rest in. Weights come later.", []string{"model/tensor"}, ""},
		{"It imports model/tensor and, to load OpenBLAS, github.com/ebitengine/purego.", []string{"model/tensor"}, ""},
		{"It imports nothing of ours.", nil, ""},
		{"It builds everywhere.", nil, "no \"It imports …\" sentence"},
		{"It imports model/tensr and shaders.", nil, "model/tensr, which is no package"},
		{"It imports the two backend packages.", nil, "names no package"},
	}
	for _, tc := range tests {
		got, err := importSentence(tc.doc, "It imports", known)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%q: error %v, want one with %q", tc.doc, err, tc.wantErr)
		case tc.wantErr == "" && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("%q: %q, %v; want %q", tc.doc, got, err, tc.want)
		}
	}
	if d := diff([]string{"model/nn", "weights"}, []string{"model/tensor", "model/nn"}, "go list"); !strings.Contains(d, "misses [model/tensor] and names [weights]") {
		t.Errorf("diff: %q", d)
	}
}

// forbidden lists, for each top-level folder, the folders its packages may not import:
// dependencies point from the apps down to the model and from there to shaders and weights.
var forbidden = map[string][]string{
	"shaders": {"model", "ui", "wasm", "tools", "site", "weights"},
	"weights": {"model", "ui", "wasm", "tools", "site", "shaders"},
	"model":   {"ui", "wasm", "tools", "site"},
	"ui":      {"wasm", "tools", "site"},
	"tools":   {"ui", "wasm", "site"},
	"wasm":    {"tools", "site"},
	"site":    {"wasm"},
}

// TestLayers checks the layer rule of DESIGN.md §1 on every package's imports.
func TestLayers(t *testing.T) {
	for path, p := range goList(t) {
		top, _, _ := strings.Cut(path, "/")
		no, ok := forbidden[top]
		if !ok {
			t.Errorf("%s: top-level folder %s has no layer rule", path, top)
		}
		for _, imp := range p.Imports {
			if first, _, _ := strings.Cut(imp, "/"); slices.Contains(no, first) {
				t.Errorf("%s imports %s: packages in %s/ may not import %s/", path, imp, top, first)
			}
		}
	}
}
