package doccheck

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// mdCitation is a Markdown file named in a comment: "pretrained/emoji32.md", "DESIGN.md".
	mdCitation = regexp.MustCompile(`[A-Za-z0-9_][A-Za-z0-9_./-]*\.md\b`)
	// designCitation is a citation of the design document, with its section if any.
	designCitation = regexp.MustCompile(`\bDESIGN(\.md)?(?:\s*§\s*([0-9A-Za-z_.]+))?`)
	// cComment is a // or /* */ comment of JavaScript or WGSL.
	cComment = regexp.MustCompile(`(?s)//[^\n]*|/\*.*?\*/`)
)

// comment is one comment of a source file.
type comment struct {
	file string // path from the repository root
	line int    // of the comment's first line
	text string
}

// citationErrors returns what is wrong with the citations in c: a Markdown file that
// exists neither from the repository root nor from c's folder, the design document named
// without its .md, or a section of it that has no numbered heading.
func citationErrors(c comment, exists func(path string) bool, design map[string]bool) []string {
	var errs []string
	at := func(offset int) string {
		return fmt.Sprintf("%s:%d", c.file, c.line+strings.Count(c.text[:offset], "\n"))
	}
	for _, loc := range mdCitation.FindAllStringIndex(c.text, -1) {
		if loc[0] > 0 && c.text[loc[0]-1] == '/' {
			continue // part of a URL
		}
		name := c.text[loc[0]:loc[1]]
		if !exists(name) && !exists(path.Join(path.Dir(c.file), name)) {
			errs = append(errs, fmt.Sprintf("%s cites %s, which is not in the repository", at(loc[0]), name))
		}
	}
	for _, m := range designCitation.FindAllStringSubmatchIndex(c.text, -1) {
		if m[2] < 0 {
			errs = append(errs, fmt.Sprintf("%s cites DESIGN: name the file, DESIGN.md, and a section (§N)", at(m[0])))
			continue
		}
		if m[4] < 0 {
			continue
		}
		if sec := strings.TrimRight(c.text[m[4]:m[5]], "."); !design[sec] {
			errs = append(errs, fmt.Sprintf("%s cites DESIGN.md §%s, which has no such section", at(m[0]), sec))
		}
	}
	return errs
}

// comments returns every comment of the repository's Go, JavaScript and WGSL files.
func comments(t *testing.T) []comment {
	t.Helper()
	var out []comment
	fset := token.NewFileSet()
	for _, name := range sourceFiles(t, ".go", ".js", ".wgsl") {
		if strings.HasSuffix(name, ".go") {
			f, err := parser.ParseFile(fset, filepath.Join(root, name), nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range f.Comments {
				for _, c := range g.List {
					out = append(out, comment{name, fset.Position(c.Slash).Line, c.Text})
				}
			}
			continue
		}
		src := readRoot(t, name)
		for _, loc := range cComment.FindAllStringIndex(src, -1) {
			out = append(out, comment{name, 1 + strings.Count(src[:loc[0]], "\n"), src[loc[0]:loc[1]]})
		}
	}
	return out
}

// TestCitations checks that every comment of the Go, JavaScript and WGSL files cites only
// Markdown files that are in the repository and sections of DESIGN.md that exist.
func TestCitations(t *testing.T) {
	design := sections(readRoot(t, "DESIGN.md"))
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(name)))
		return err == nil
	}
	all := comments(t)
	if len(all) < 1000 {
		t.Fatalf("found only %d comments: is the walk of the repository right?", len(all))
	}
	for _, c := range all {
		for _, e := range citationErrors(c, exists, design) {
			t.Error(e)
		}
	}
}

// TestCitationErrors feeds citationErrors the citations it must refuse and some it must
// accept.
func TestCitationErrors(t *testing.T) {
	files := map[string]bool{"DESIGN.md": true, "pretrained/emoji32.md": true}
	exists := func(name string) bool { return files[name] }
	design := map[string]bool{"1": true, "4": true, "4.2": true}
	tests := []struct {
		file, text string
		want       []string // parts of the errors, one per error
	}{
		{"model/a/a.go", "// See DESIGN.md §4.2 and DESIGN.md §1.", nil},
		{"model/a/a.go", "// The card (pretrained/emoji32.md) and DESIGN.md.", nil},
		{"pretrained/w.go", "// emoji32.md next to this file", nil},
		{"x.js", "// from https://example.org/notes/README.md", nil},
		{"model/a/a.go", "// As in notes/absent.md §5.", []string{"a.go:1 cites notes/absent.md"}},
		{"model/a/a.go", "// first line\n// the block of DESIGN §3", []string{"a.go:2 cites DESIGN: name the file"}},
		{"model/a/a.go", "// DESIGN's zero init", []string{"cites DESIGN: name the file"}},
		{"model/a/a.go", "// DESIGN.md §4.7, and DESIGN.md §2.", []string{"§4.7, which has no such section", "§2, which has no such section"}},
	}
	for _, tc := range tests {
		errs := citationErrors(comment{tc.file, 1, tc.text}, exists, design)
		if len(errs) != len(tc.want) {
			t.Errorf("%q: errors %q, want %d", tc.text, errs, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(errs[i], w) {
				t.Errorf("%q: error %q, want it to contain %q", tc.text, errs[i], w)
			}
		}
	}
}
