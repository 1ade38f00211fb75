package shaders

import (
	"strings"
	"testing"
)

func TestSpecialize(t *testing.T) {
	src := "const DH: u32 = 32u;\nconst TILE = 16u;\nalias STORE = f32;\nfn f() -> u32 { return DH + TILE; }\n"
	tests := []struct {
		name    string
		values  map[string]string
		want    []string
		wantErr bool
		f16     bool // the output starts with `enable f16;`
	}{
		{"typed", map[string]string{"DH": "64u"}, []string{"const DH: u32 = 64u;", "const TILE = 16u;"}, false, false},
		{"untyped", map[string]string{"TILE": "8u"}, []string{"const TILE = 8u;", "const DH: u32 = 32u;"}, false, false},
		{"both", map[string]string{"TILE": "8u", "DH": "16u"}, []string{"const TILE = 8u;", "const DH: u32 = 16u;"}, false, false},
		{"missing", map[string]string{"NOPE": "1u"}, nil, true, false},
		{"none", nil, []string{"const DH: u32 = 32u;", "alias STORE = f32;"}, false, false},
		{"alias", map[string]string{"STORE": "u32"}, []string{"alias STORE = u32;", "const TILE = 16u;"}, false, false},
		{"alias f16", map[string]string{"STORE": "f16", "TILE": "8u"}, []string{"alias STORE = f16;", "const TILE = 8u;"}, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Specialize(src, tc.values)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if strings.HasPrefix(got, "enable f16;\n") != tc.f16 {
				t.Errorf("enables f16: %v, want %v:\n%s", !tc.f16, tc.f16, got)
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
