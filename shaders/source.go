package shaders

import "fmt"

// libraries names, per family, the WGSL files of shared functions that the runtime puts
// before the family's own file: WGSL has no include, and a function used by two families
// is written once.
var libraries = map[string][]string{
	"act":    {"actfn"},
	"matmul": {"actfn"},
}

// moduleSource returns the WGSL of family's module: its libraries, then family.wgsl.
func moduleSource(family string) (string, error) {
	var src []byte
	for _, name := range append(libraries[family], family) {
		b, err := sources.ReadFile(name + ".wgsl")
		if err != nil {
			return "", fmt.Errorf("shaders: %w", err)
		}
		src = append(append(src, b...), '\n')
	}
	return string(src), nil
}
