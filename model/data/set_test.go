package data

import (
	"math"
	"testing"
)

// near says whether a and b agree to float32 rounding.
func near(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}

func TestImageFloatAndBatch(t *testing.T) {
	s := &Set{Size: 1, Train: []Image{
		{Pixels: []uint8{0, 255, 51}},
		{Pixels: []uint8{255, 0, 204}},
	}, Test: []Image{{Pixels: []uint8{102, 153, 0}}}}
	if got := s.Train[0].Float(); !near(got, []float32{-1, 1, -0.6}) {
		t.Errorf("Float = %v, want [-1 1 -0.6]", got)
	}
	dst := make([]float32, 3*3) // [3 images, 3, 1, 1]
	s.Batch(dst, []int{1, 0, 1}, true)
	want := []float32{1, -1, 0.6, -1, 1, -0.6, 1, -1, 0.6}
	if !near(dst, want) {
		t.Errorf("train Batch = %v, want %v", dst, want)
	}
	s.Batch(dst[:3], []int{0}, false)
	if !near(dst[:3], []float32{-0.2, 0.2, -1}) {
		t.Errorf("test Batch = %v", dst[:3])
	}
}

func TestSplitHeldOut(t *testing.T) {
	for _, tc := range []struct{ n, test int }{{0, 0}, {1, 0}, {19, 0}, {20, 1}, {39, 1}, {40, 2}, {3786, 189}} {
		ims := make([]Image, tc.n)
		for i := range ims {
			ims[i].Label = i
		}
		train, test := splitHeldOut(ims)
		if len(test) != tc.test || len(train) != tc.n-tc.test {
			t.Errorf("n=%d: %d train, %d test, want %d test", tc.n, len(train), len(test), tc.test)
		}
		for k, im := range test {
			if im.Label != 20*k+19 {
				t.Errorf("n=%d: test image %d is item %d, want %d", tc.n, k, im.Label, 20*k+19)
			}
		}
	}
}
