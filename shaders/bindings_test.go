package shaders

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// goKernel is a Kernel as this package's Go source declares it.
type goKernel struct {
	name string // the variable
	pos  string // file:line
	k    Kernel
}

// declaredKernels parses the package's Go files (tests excluded) for every Kernel
// literal; each must be a package variable with constant File, Entry and Bindings.
func declaredKernels(t *testing.T) []goKernel {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []goKernel
	literals := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.CompositeLit); ok && isIdent(lit.Type, "Kernel") {
				literals++
			}
			return true
		})
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, v := range vs.Values {
					lit, ok := v.(*ast.CompositeLit)
					if !ok || !isIdent(lit.Type, "Kernel") {
						continue
					}
					k, err := kernelLiteral(lit)
					pos := fset.Position(lit.Pos())
					where := fmt.Sprintf("%s:%d", pos.Filename, pos.Line)
					if err != nil {
						t.Fatalf("%s: %v", where, err)
					}
					out = append(out, goKernel{vs.Names[i].Name, where, k})
				}
			}
		}
	}
	if literals != len(out) {
		t.Fatalf("%d Kernel literals, %d of them package variables: declare every Kernel as one", literals, len(out))
	}
	return out
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// kernelLiteral evaluates a Kernel{File: "…", Entry: "…", Bindings: []Access{…}} literal.
func kernelLiteral(lit *ast.CompositeLit) (Kernel, error) {
	var k Kernel
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return k, fmt.Errorf("Kernel literal without field names")
		}
		key := kv.Key.(*ast.Ident).Name
		switch key {
		case "File", "Entry":
			s, ok := kv.Value.(*ast.BasicLit)
			if !ok || s.Kind != token.STRING {
				return k, fmt.Errorf("Kernel.%s is not a string literal", key)
			}
			v, _ := strconv.Unquote(s.Value)
			if key == "File" {
				k.File = v
			} else {
				k.Entry = v
			}
		case "Bindings":
			list, ok := kv.Value.(*ast.CompositeLit)
			if !ok {
				return k, fmt.Errorf("Kernel.Bindings is not a literal")
			}
			for _, a := range list.Elts {
				switch {
				case isIdent(a, "Read"):
					k.Bindings = append(k.Bindings, Read)
				case isIdent(a, "ReadWrite"):
					k.Bindings = append(k.Bindings, ReadWrite)
				default:
					return k, fmt.Errorf("Kernel.Bindings holds something other than Read or ReadWrite")
				}
			}
		}
	}
	return k, nil
}

// loadModule parses family's module (moduleSource), specialised with consts (nil for
// none) as the runtime compiles it.
func loadModule(t *testing.T, family string, consts map[string]string) *wgslModule {
	t.Helper()
	src, err := moduleSource(family)
	if err != nil {
		t.Fatal(err)
	}
	code, err := Specialize(src, consts)
	if err != nil {
		t.Fatalf("%s.wgsl: %v", family, err)
	}
	m, err := parseWGSL(code)
	if err != nil {
		t.Fatalf("%s.wgsl: %v", family, err)
	}
	return m
}

// wgslAccess is the storage access WGSL writes for a.
var wgslAccess = map[Access]string{Read: "read", ReadWrite: "read_write"}

// bindingErrors compares k's bindings with the resources that its entry point uses: the
// uniform at binding 0, then exactly bindings 1…len(k.Bindings), each a storage array with
// the access that Go declares.
func bindingErrors(k Kernel, used map[int]wgslVar) []string {
	var errs []string
	for _, b := range sortedBindings(used) {
		v := used[b]
		switch {
		case v.group != 0:
			errs = append(errs, fmt.Sprintf("%v: the runtime binds group 0 only", v))
		case b == 0 && v.space != "uniform":
			errs = append(errs, fmt.Sprintf("%v: binding 0 is the uniform", v))
		case b > len(k.Bindings):
			errs = append(errs, fmt.Sprintf("%v: Go declares %d storage bindings", v, len(k.Bindings)))
		}
	}
	for i, a := range k.Bindings {
		v, ok := used[i+1]
		switch {
		case !ok:
			errs = append(errs, fmt.Sprintf("Go binds a buffer at binding %d, which the entry point does not use", i+1))
		case v.space != "storage" || !strings.HasPrefix(v.typ, "array<"):
			errs = append(errs, fmt.Sprintf("%v: Go binds a storage buffer there, an array", v))
		case v.access != wgslAccess[a]:
			errs = append(errs, fmt.Sprintf("%v: Go declares binding %d %s", v, i+1, wgslAccess[a]))
		}
	}
	return errs
}

// variants are the specialisations that change a family's types, not only its sizes: each
// is a module of its own whose bindings must match too.
var variants = map[string][]map[string]string{"matmul": {matmulF16}}

// TestKernelBindings checks every Kernel's Bindings against the @binding declarations that
// its WGSL entry point uses, in the plain module and in each of its family's variants, so
// that a mismatch shows here and not only on a GPU.
func TestKernelBindings(t *testing.T) {
	for _, gk := range declaredKernels(t) {
		k := gk.k
		for _, consts := range append([]map[string]string{nil}, variants[k.File]...) {
			where := fmt.Sprintf("%s %s (%s.wgsl %s, fn %s)", gk.pos, gk.name, k.File, constKey(consts), k.Entry)
			m := loadModule(t, k.File, consts)
			if f, ok := m.funcs[k.Entry]; !ok || !f.compute {
				t.Errorf("%s: no such @compute fn", where)
				continue
			}
			used, err := m.uses(k.Entry)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if len(k.Bindings) > maxBindings {
				t.Errorf("%s: %d storage bindings, WebGPU guarantees %d", where, len(k.Bindings), maxBindings)
			}
			for _, e := range bindingErrors(k, used) {
				t.Errorf("%s: %s", where, e)
			}
		}
	}
}

// TestBindingErrors feeds bindingErrors the mismatches it exists to catch.
func TestBindingErrors(t *testing.T) {
	uniform := wgslVar{name: "u", space: "uniform", typ: "U"}
	storage := func(b int, access string) wgslVar {
		return wgslVar{name: "s" + strconv.Itoa(b), space: "storage", access: access, typ: "array<f32>", binding: b}
	}
	tests := []struct {
		name string
		k    []Access
		used []wgslVar
		want string // a part of the one error; "" for none
	}{
		{"match", []Access{ReadWrite, Read}, []wgslVar{uniform, storage(1, "read_write"), storage(2, "read")}, ""},
		{"access differs", []Access{ReadWrite, ReadWrite}, []wgslVar{uniform, storage(1, "read_write"), storage(2, "read")}, "Go declares binding 2 read_write"},
		{"one binding short", []Access{ReadWrite}, []wgslVar{uniform, storage(1, "read_write"), storage(2, "read")}, "Go declares 1 storage bindings"},
		{"one binding too many", []Access{ReadWrite, Read, Read}, []wgslVar{uniform, storage(1, "read_write"), storage(2, "read")}, "binding 3, which the entry point does not use"},
		{"storage at 0", []Access{Read}, []wgslVar{storage(0, "read"), storage(1, "read")}, "binding 0 is the uniform"},
		{"uniform in Go's place", []Access{Read}, []wgslVar{{name: "w", space: "uniform", typ: "W", binding: 1}}, "Go binds a storage buffer there"},
		{"other group", nil, []wgslVar{{name: "g", space: "uniform", typ: "U", group: 1}}, "group 0 only"},
	}
	for _, tc := range tests {
		used := map[int]wgslVar{}
		for _, v := range tc.used {
			used[v.binding] = v
		}
		errs := bindingErrors(Kernel{Bindings: tc.k}, used)
		if (tc.want == "") != (len(errs) == 0) || len(errs) > 1 || tc.want != "" && !strings.Contains(errs[0], tc.want) {
			t.Errorf("%s: errors %q, want one with %q", tc.name, errs, tc.want)
		}
	}
}

// TestParseWGSL checks the parser on a module with helpers, comments and two entry points
// that reuse binding numbers under different names.
func TestParseWGSL(t *testing.T) {
	src := `
struct U { n: u32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read_write> a_out: array<f32>;
@group(0) @binding(2) var<storage, read> a_in: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> b_out: array<f32>;
// fn commented(x) { b_in[0]; }
fn load(i: u32) -> f32 { return a_in[i].x; }
@compute @workgroup_size(64)
fn fam_a(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x < u.n) { a_out[gid.x] = load(gid.x); }
}
@compute @workgroup_size(64)
fn fam_b(@builtin(global_invocation_id) gid: vec3<u32>) { /* a_in */ b_out[gid.x] = 0.0; }
`
	m, err := parseWGSL(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.entries(), " "); got != "fam_a fam_b" {
		t.Fatalf("entry points %q", got)
	}
	for _, tc := range []struct{ entry, want string }{
		{"fam_a", "0:u 1:a_out 2:a_in"},
		{"fam_b", "1:b_out"},
	} {
		used, err := m.uses(tc.entry)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range sortedBindings(used) {
			got = append(got, fmt.Sprintf("%d:%s", b, used[b].name))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s uses %q, want %q", tc.entry, got, tc.want)
		}
	}
	if v := m.vars["a_in"]; v.access != "read" || v.typ != "array<vec4<f32>>" {
		t.Errorf("a_in parsed as %v", v)
	}
}

// entryName is the rule that doc.go states: the family, then what the entry runs.
var entryName = regexp.MustCompile(`^([a-z0-9]+)(_[a-z0-9]+)+$`)

// TestEntryPointNames checks that every compute entry point starts with its family (the
// file's name) and has exactly one Kernel, named after it: entry act_swiglu_forward is
// actSwiGLUForwardKernel (the same letters without underscores, in any case).
func TestEntryPointNames(t *testing.T) {
	byEntry := map[string][]goKernel{}
	for _, gk := range declaredKernels(t) {
		byEntry[gk.k.File+"/"+gk.k.Entry] = append(byEntry[gk.k.File+"/"+gk.k.Entry], gk)
	}
	files, err := filepath.Glob("*.wgsl")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		family := strings.TrimSuffix(file, ".wgsl")
		for _, entry := range loadModule(t, family, nil).entries() {
			if m := entryName.FindStringSubmatch(entry); m == nil || m[1] != family {
				t.Errorf("%s: entry point %s does not start with %s_", file, entry, family)
			}
			kernels := byEntry[family+"/"+entry]
			if len(kernels) != 1 {
				t.Errorf("%s: entry point %s has %d Kernels, want 1", file, entry, len(kernels))
				continue
			}
			gk := kernels[0]
			if !strings.EqualFold(strings.TrimSuffix(gk.name, "Kernel"), strings.ReplaceAll(entry, "_", "")) {
				t.Errorf("%s: Kernel %s of entry point %s is not named after it", gk.pos, gk.name, entry)
			}
		}
	}
}
