package shaders

import (
	"reflect"
	"regexp"
	"testing"
)

// TestMatMulF16Choice: a product that asks for f16 operands takes the f16 variant exactly
// where the device has f16, and that variant enables f16 and stages both operands in it.
func TestMatMulF16Choice(t *testing.T) {
	for _, tc := range []struct {
		ask, device bool
		want        map[string]string
	}{
		{false, false, nil},
		{false, true, nil},
		{true, false, nil},
		{true, true, matmulF16},
	} {
		if got := matmulConsts(tc.ask, tc.device); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("matmulConsts(f16 %v, device f16 %v) = %v, want %v", tc.ask, tc.device, got, tc.want)
		}
	}
	src, err := moduleSource("matmul")
	if err != nil {
		t.Fatal(err)
	}
	code, err := Specialize(src, matmulF16)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`^enable f16;\n`, `(?m)^alias MM_STORE = f16;`,
		`var<workgroup> tile_a: array<MM_STORE,`, `var<workgroup> tile_b: array<MM_STORE,`} {
		if !regexp.MustCompile(want).MatchString(code) {
			t.Errorf("the f16 variant of matmul.wgsl does not match %q", want)
		}
	}
}
