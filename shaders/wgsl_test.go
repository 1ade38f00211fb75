package shaders

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The tests read the WGSL sources with the small parser below: enough of the language to
// find each module's resource declarations, its functions and which resources every entry
// point uses, with no GPU and no shader compiler.

// wgslVar is a module-scope resource: @group(g) @binding(b) var<space[, access]> name: typ.
type wgslVar struct {
	name, space, access, typ string // access is "" for uniforms, else "read" or "read_write"
	group, binding           int
}

// String is the declaration as WGSL writes it.
func (v wgslVar) String() string {
	space := v.space
	if v.access != "" {
		space += ", " + v.access
	}
	return fmt.Sprintf("@group(%d) @binding(%d) var<%s> %s: %s", v.group, v.binding, space, v.name, v.typ)
}

// wgslFunc is a function: its body's text and whether it is a compute entry point.
type wgslFunc struct {
	name, body string
	compute    bool
}

// wgslModule is one parsed .wgsl file.
type wgslModule struct {
	vars  map[string]wgslVar
	funcs map[string]wgslFunc
	order []string // function names in source order
}

var (
	wgslComment = regexp.MustCompile(`(?s)//[^\n]*|/\*.*?\*/`)
	wgslVarDecl = regexp.MustCompile(`@group\(\s*(\d+)\s*\)\s*@binding\(\s*(\d+)\s*\)\s*var\s*<\s*(\w+)\s*(?:,\s*(\w+)\s*)?>\s*(\w+)\s*:\s*([^;]+);`)
	wgslFnDecl  = regexp.MustCompile(`((?:@\w+(?:\([^)]*\))?\s*)*)\bfn\s+(\w+)\s*\(`)
	wgslIdent   = regexp.MustCompile(`\b[A-Za-z_]\w*\b`)
)

// parseWGSL reads the resource declarations and functions of src.
func parseWGSL(src string) (*wgslModule, error) {
	src = wgslComment.ReplaceAllString(src, "")
	m := &wgslModule{vars: map[string]wgslVar{}, funcs: map[string]wgslFunc{}}
	for _, d := range wgslVarDecl.FindAllStringSubmatch(src, -1) {
		g, _ := strconv.Atoi(d[1])
		b, _ := strconv.Atoi(d[2])
		v := wgslVar{group: g, binding: b, space: d[3], access: d[4], name: d[5], typ: strings.TrimSpace(d[6])}
		if _, dup := m.vars[v.name]; dup {
			return nil, fmt.Errorf("resource %s declared twice", v.name)
		}
		m.vars[v.name] = v
	}
	for _, loc := range wgslFnDecl.FindAllStringSubmatchIndex(src, -1) {
		attrs, name := src[loc[2]:loc[3]], src[loc[4]:loc[5]]
		open := strings.IndexByte(src[loc[1]:], '{')
		if open < 0 {
			return nil, fmt.Errorf("fn %s has no body", name)
		}
		start := loc[1] + open
		end, err := matchBrace(src, start)
		if err != nil {
			return nil, fmt.Errorf("fn %s: %w", name, err)
		}
		if _, dup := m.funcs[name]; dup {
			return nil, fmt.Errorf("fn %s declared twice", name)
		}
		m.funcs[name] = wgslFunc{name: name, body: src[start:end], compute: strings.Contains(attrs, "@compute")}
		m.order = append(m.order, name)
	}
	return m, nil
}

// matchBrace returns the index just past the brace that closes the one at src[open].
func matchBrace(src string, open int) (int, error) {
	depth := 0
	for i := open; i < len(src); i++ {
		switch src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("unbalanced braces")
}

// entries returns the compute entry points in source order.
func (m *wgslModule) entries() []string {
	var out []string
	for _, name := range m.order {
		if m.funcs[name].compute {
			out = append(out, name)
		}
	}
	return out
}

// uses returns the resources that entry point fn uses statically: those its body names,
// or the body of any function it calls, by binding number. A binding used under two
// names is an error.
func (m *wgslModule) uses(fn string) (map[int]wgslVar, error) {
	used := map[int]wgslVar{}
	seen := map[string]bool{}
	var walk func(name string) error
	walk = func(name string) error {
		if seen[name] {
			return nil
		}
		seen[name] = true
		for _, id := range wgslIdent.FindAllString(m.funcs[name].body, -1) {
			if _, ok := m.funcs[id]; ok {
				if err := walk(id); err != nil {
					return err
				}
				continue
			}
			v, ok := m.vars[id]
			if !ok {
				continue
			}
			if prev, ok := used[v.binding]; ok && prev.name != v.name {
				return fmt.Errorf("%s uses binding %d as both %s and %s", fn, v.binding, prev.name, v.name)
			}
			used[v.binding] = v
		}
		return nil
	}
	if err := walk(fn); err != nil {
		return nil, err
	}
	return used, nil
}

// sortedBindings lists the binding numbers of used in order.
func sortedBindings(used map[int]wgslVar) []int {
	var out []int
	for b := range used {
		out = append(out, b)
	}
	sort.Ints(out)
	return out
}
