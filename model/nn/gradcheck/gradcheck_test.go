package gradcheck

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the errors reported to it instead of failing a test.
// Only Helper and Errorf are overridden: any other call reaches the real test it embeds.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// TestCheck makes sure a wrong gradient is reported, naming the element, and a right one
// is not.
func TestCheck(t *testing.T) {
	x := []float64{0.3, -1.2}
	loss := func() float64 { return x[0]*x[0] + 3*x[1] }
	tests := []struct {
		name    string
		grad    []float64
		indices []int
		want    []string // the elements reported
	}{
		{"right", []float64{0.6, 3}, nil, nil},
		{"wrong second element", []float64{0.6, 2.9}, nil, []string{"x[1]"}},
		{"both wrong", []float64{0.5, 2.9}, nil, []string{"x[0]", "x[1]"}},
		{"wrong but not checked", []float64{0.6, 2.9}, []int{0}, nil},
	}
	for _, tc := range tests {
		r := &recorder{TB: t}
		n := Check(r, loss, []Target{{Name: "x", Value: x, Grad: tc.grad, Indices: tc.indices}})
		var got []string
		for _, e := range r.errors {
			element, _, _ := strings.Cut(e, ":") // "x[1]: analytic …"
			got = append(got, element)
		}
		wantChecked := len(x)
		if tc.indices != nil {
			wantChecked = len(tc.indices)
		}
		if n != wantChecked || !slices.Equal(got, tc.want) {
			t.Errorf("%s: checked %d (want %d), reported %q (want %q)", tc.name, n, wantChecked, got, tc.want)
		}
	}
}
