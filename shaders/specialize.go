package shaders

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// constDecl matches a module-scope WGSL constant or type alias declaration:
// `const NAME[: TYPE] = VALUE;` or `alias NAME = TYPE;`.
var constDecl = regexp.MustCompile(`(?m)^(const|alias)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(:\s*[A-Za-z0-9_<>]+)?\s*=\s*[^;]+;`)

// Specialize returns src with the values of the named module-scope constants and type
// aliases replaced, the portable stand-in for WGSL `override` (which the native compiler
// rejects). Every name in values must be declared in src exactly once; values are WGSL
// literals such as "32u", or types for aliases. An alias set to f16 also enables WGSL's f16
// extension, which the module then needs (see Runtime.F16).
func Specialize(src string, values map[string]string) (string, error) {
	seen := map[string]int{}
	half := false
	out := constDecl.ReplaceAllStringFunc(src, func(decl string) string {
		m := constDecl.FindStringSubmatch(decl)
		v, ok := values[m[2]]
		if !ok {
			return decl
		}
		seen[m[2]]++
		half = half || m[1] == "alias" && v == "f16"
		return fmt.Sprintf("%s %s%s = %s;", m[1], m[2], m[3], v)
	})
	for name := range values {
		if seen[name] != 1 {
			return "", fmt.Errorf("shaders: constant %s declared %d times, want 1", name, seen[name])
		}
	}
	if half {
		// A directive must come before every declaration of the module.
		out = "enable f16;\n" + out
	}
	return out, nil
}

// constKey is a stable text form of values, for caching specialised modules.
func constKey(values map[string]string) string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s;", k, values[k])
	}
	return b.String()
}
