package gen

import (
	"slices"
	"testing"

	"flowsphere/model/cpu"
)

// TestProgress checks that Progress counts every pass of a generation, 1 to Passes in order,
// and that Decode followed by Refine gives FromPoints' images.
func TestProgress(t *testing.T) {
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	g := m.NewGenerator(b, 2)
	cases := []struct {
		loops, steps int
		euler        bool
		passes       int
	}{
		{0, 0, false, 1},
		{2, 0, false, 3},
		{0, 4, false, 8},
		{3, 2, false, 7},
		{3, 2, true, 6},
	}
	for _, tc := range cases {
		g.Loops = tc.loops
		if got := g.Passes(tc.steps, tc.euler); got != tc.passes {
			t.Errorf("%+v: Passes = %d", tc, got)
		}
		var done []int
		g.Progress = func(n int) { done = append(done, n) }
		v := g.SpherePoints(b, 5)
		dec, err := g.Decode(b, v, 9)
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 1+tc.loops {
			t.Errorf("%+v: %d passes reported after Decode, want %d", tc, len(done), 1+tc.loops)
		}
		ref, err := g.Refine(b, 9, tc.steps, tc.euler)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int, tc.passes)
		for i := range want {
			want[i] = i + 1
		}
		if !slices.Equal(done, want) {
			t.Errorf("%+v: Progress reported %v, want %v", tc, done, want)
		}
		g.Progress = nil
		wantDec, wantRef, err := g.FromPoints(b, g.SpherePoints(b, 5), 9, tc.steps, tc.euler)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(dec[0], wantDec[0]) || !equal(ref[1], wantRef[1]) {
			t.Errorf("%+v: Decode and Refine differ from FromPoints", tc)
		}
	}
}
