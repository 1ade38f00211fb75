package shaders

import (
	"strings"
	"testing"
)

func TestSpecialize(t *testing.T) {
	src := "const DH: u32 = 32u;\nconst TILE = 16u;\nfn f() -> u32 { return DH + TILE; }\n"
	tests := []struct {
		name    string
		values  map[string]string
		want    []string
		wantErr bool
	}{
		{"typed", map[string]string{"DH": "64u"}, []string{"const DH: u32 = 64u;", "const TILE = 16u;"}, false},
		{"untyped", map[string]string{"TILE": "8u"}, []string{"const TILE = 8u;", "const DH: u32 = 32u;"}, false},
		{"both", map[string]string{"TILE": "8u", "DH": "16u"}, []string{"const TILE = 8u;", "const DH: u32 = 16u;"}, false},
		{"missing", map[string]string{"NOPE": "1u"}, nil, true},
		{"none", nil, []string{"const DH: u32 = 32u;"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Specialize(src, tc.values)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestSpecializeDuplicate(t *testing.T) {
	if _, err := Specialize("const A = 1u;\nconst A = 2u;\n", map[string]string{"A": "3u"}); err == nil {
		t.Fatal("duplicate declaration accepted")
	}
}
