package shaders

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// constDecl matches a module-scope WGSL constant declaration: `const NAME[: TYPE] = VALUE;`.
var constDecl = regexp.MustCompile(`(?m)^const\s+([A-Za-z_][A-Za-z0-9_]*)\s*(:\s*[A-Za-z0-9_<>]+)?\s*=\s*[^;]+;`)

// Specialize returns src with the values of the named module-scope constants replaced, the
// portable stand-in for WGSL `override` (which the native compiler rejects). Every name in
// values must be declared in src exactly once; values are WGSL literals such as "32u".
func Specialize(src string, values map[string]string) (string, error) {
	seen := map[string]int{}
	out := constDecl.ReplaceAllStringFunc(src, func(decl string) string {
		m := constDecl.FindStringSubmatch(decl)
		v, ok := values[m[1]]
		if !ok {
			return decl
		}
		seen[m[1]]++
		return fmt.Sprintf("const %s%s = %s;", m[1], m[2], v)
	})
	for name := range values {
		if seen[name] != 1 {
			return "", fmt.Errorf("shaders: constant %s declared %d times, want 1", name, seen[name])
		}
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
