package doccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"flowsphere/model/opcheck"
)

// opRow is one row of DESIGN.md's op table.
type opRow struct {
	ops, entries, cpu []string
	family            string
	cases             []string // case-name prefixes (the op's name); nil: every case of the family
}

var (
	// codeSpan is a Markdown `code span`.
	codeSpan = regexp.MustCompile("`([^`]+)`")
	// computeEntry is a WGSL compute entry point (comments removed first).
	computeEntry = regexp.MustCompile(`@compute[^{;]*?\bfn\s+(\w+)`)
)

// opTable reads the table of DESIGN.md whose header starts with "| op (`tensor.Ops`)".
func opTable(t *testing.T, md string) []opRow {
	t.Helper()
	var rows []opRow
	in := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| op (`tensor.Ops`)") {
			in = true
			continue
		}
		if !in || strings.HasPrefix(line, "| ---") {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 5 {
			t.Fatalf("DESIGN.md op table row with %d cells: %s", len(cells), line)
		}
		spans := func(cell string) []string {
			var out []string
			for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
				out = append(out, m[1])
			}
			return out
		}
		r := opRow{family: cells[1], entries: spans(cells[2]), cpu: spans(cells[3])}
		for _, op := range strings.Split(cells[0], ",") {
			r.ops = append(r.ops, strings.TrimSpace(op))
		}
		for _, c := range spans(cells[4]) {
			r.cases = append(r.cases, strings.TrimSuffix(c, " …"))
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		t.Fatal("DESIGN.md has no op table")
	}
	return rows
}

// interfaceMethods returns the methods of interface name in a Go file.
func interfaceMethods(t *testing.T, file, name string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, file), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.Name == name {
			for _, m := range ts.Type.(*ast.InterfaceType).Methods.List {
				for _, id := range m.Names {
					out = append(out, id.Name)
				}
			}
		}
		return true
	})
	return out
}

// TestOpTable checks DESIGN.md's op table against the code: every tensor.Ops method is in
// one row; a row's family has all its files, with the op's Backend methods in
// model/cpu/<family>.go and model/webgpu/<family>.go; its entry points are compute entry
// points of shaders/<family>.wgsl, and every entry point is in the table; its CPU functions
// are in model/cpu/<family>_kernels.go; and the case table has the row's cases under the
// family.
func TestOpTable(t *testing.T) {
	rows := opTable(t, readRoot(t, "DESIGN.md"))
	inTable := map[string]int{}
	listedEntries := map[string]bool{}
	for _, r := range rows {
		f := r.family
		for _, file := range []string{"shaders/" + f + ".wgsl", "shaders/" + f + ".go", "model/webgpu/" + f + ".go",
			"model/cpu/" + f + ".go", "model/cpu/" + f + "_kernels.go", "model/opcheck/" + f + "_cases.go"} {
			readRoot(t, file) // fails the test when it is missing
		}
		for _, op := range r.ops {
			inTable[op]++
			for _, file := range []string{"model/cpu/" + f + ".go", "model/webgpu/" + f + ".go"} {
				if !regexp.MustCompile(`(?m)^func \(be \*Backend(\[T\])?\) ` + op + `\(`).MatchString(readRoot(t, file)) {
					t.Errorf("DESIGN.md: %s's Backend method is not in %s", op, file)
				}
			}
		}
		entries := map[string]bool{}
		for _, m := range computeEntry.FindAllStringSubmatch(cComment.ReplaceAllString(readRoot(t, "shaders/"+f+".wgsl"), ""), -1) {
			entries[m[1]] = true
		}
		for _, e := range r.entries {
			listedEntries[e] = true
			if !entries[e] {
				t.Errorf("DESIGN.md: %s has no entry point %s", "shaders/"+f+".wgsl", e)
			}
		}
		kernels := readRoot(t, "model/cpu/"+f+"_kernels.go")
		for _, fn := range r.cpu {
			if !regexp.MustCompile(`(?m)^func ` + fn + `[\[(]`).MatchString(kernels) {
				t.Errorf("DESIGN.md: model/cpu/%s_kernels.go has no func %s", f, fn)
			}
		}
		checkCases(t, r)
	}
	for _, op := range interfaceMethods(t, "model/tensor/backend.go", "Ops") {
		if inTable[op] != 1 {
			t.Errorf("DESIGN.md: tensor.Ops.%s is in %d rows of the op table, want 1", op, inTable[op])
		}
		delete(inTable, op)
	}
	for op := range inTable {
		t.Errorf("DESIGN.md: op table row for %s, which tensor.Ops lacks", op)
	}
	files, err := filepath.Glob(filepath.Join(root, "shaders", "*.wgsl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		src := cComment.ReplaceAllString(readRoot(t, filepath.Join("shaders", filepath.Base(file))), "")
		for _, m := range computeEntry.FindAllStringSubmatch(src, -1) {
			if !listedEntries[m[1]] {
				t.Errorf("DESIGN.md: entry point %s of %s is not in the op table", m[1], filepath.Base(file))
			}
		}
	}
}

// checkCases checks that the case table has r's cases: cases of r's family whose names
// start with each of r's prefixes, or any case of the family where r names none.
func checkCases(t *testing.T, r opRow) {
	t.Helper()
	found := map[string]bool{}
	for _, c := range opcheck.All() {
		if c.Family != r.family {
			continue
		}
		found[""] = true
		for _, p := range r.cases {
			if strings.HasPrefix(c.Name, p+" ") {
				found[p] = true
			}
		}
	}
	for _, p := range append([]string{""}, r.cases...) {
		if !found[p] {
			t.Errorf("DESIGN.md: %s has no %s case %q", strings.Join(r.ops, ", "), r.family, p+" …")
		}
	}
}
