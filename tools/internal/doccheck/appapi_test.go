package doccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// apiEntry is a name with its arguments at the start of an API list line: "Generate(seed,
// steps)", "SetTarget(steps) / SetAEOnly(b)".
var apiEntry = regexp.MustCompile(`\b([A-Z]\w*)\(`)

// listedAPI returns the names that the API list of a comment gives: its indented lines, up
// to the first run of two spaces (where the description starts).
func listedAPI(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "//\t") {
			continue
		}
		head, _, _ := strings.Cut(strings.TrimPrefix(line, "//\t"), "  ")
		for _, m := range apiEntry.FindAllStringSubmatch(head, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// exportedMethods returns the exported methods declared on type recv (or *recv) in the Go
// files of package path (as go list has them), and whether struct recv embeds a field of
// type embed.
func exportedMethods(t *testing.T, path, recv, embed string) (methods []string, embeds bool) {
	t.Helper()
	p := goList(t)[path]
	if p == nil {
		t.Fatalf("no package %s", path)
	}
	fset := token.NewFileSet()
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch d := n.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil && d.Name.IsExported() && strings.TrimPrefix(types(d.Recv.List[0].Type), "*") == recv {
					methods = append(methods, d.Name.Name)
				}
			case *ast.TypeSpec:
				if st, ok := d.Type.(*ast.StructType); ok && d.Name.Name == recv {
					for _, fd := range st.Fields.List {
						embeds = embeds || len(fd.Names) == 0 && types(fd.Type) == embed
					}
				}
			}
			return true
		})
	}
	return methods, embeds
}

// types writes a type expression the way the source does: "*engine.Engine".
func types(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return "*" + types(x.X)
	case *ast.SelectorExpr:
		return types(x.X) + "." + x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return ""
}

// TestAppAPIList checks the automation API list at the top of ui/app.go against the code:
// New and every exported method of App, its own and those of the engine it embeds.
func TestAppAPIList(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, "ui", "app.go"), nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, g := range f.Comments {
		for _, c := range g.List {
			listed = append(listed, listedAPI(c.Text)...)
		}
	}
	own, embeds := exportedMethods(t, "ui", "App", "*engine.Engine")
	if !embeds {
		t.Fatal("ui.App no longer embeds *engine.Engine: update this test")
	}
	engine, _ := exportedMethods(t, "ui/engine", "Engine", "")
	want := append(append([]string{"New"}, own...), engine...)
	slices.Sort(want)
	slices.Sort(listed)
	if d := diff(listed, want, "the code"); d != "" {
		t.Errorf("ui/app.go's API list %s", d)
	}
}

// TestListedAPI checks that listedAPI reads names only from the list's first column.
func TestListedAPI(t *testing.T) {
	text := "// The App API.\n//\n//\tNew(opts) *App        start it: Generate(seed) later\n" +
		"//\tSetTarget(steps) / SetAEOnly(b) the bar\n//\tState() StateSnapshot  the state\n// Not Listed(x).\n"
	if got := listedAPI(text); !slices.Equal(got, []string{"New", "SetTarget", "SetAEOnly", "State"}) {
		t.Errorf("listed %q", got)
	}
}
