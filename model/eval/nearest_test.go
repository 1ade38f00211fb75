package eval

import (
	"math"
	"testing"

	"flowsphere/model/classifier"
	"flowsphere/model/cpu"
)

// flat is an image of pixels values, all v.
func flat(pixels int, v float32) []float32 {
	im := make([]float32, pixels)
	for i := range im {
		im[i] = v
	}
	return im
}

// TestNearest checks nearest-neighbour RMSEs against a reference set of constant images
// long enough to span two matmul blocks, the last one partial.
func TestNearest(t *testing.T) {
	const pixels = 12 // [3, 2, 2]
	var ref [][]float32
	for i := range refBlock + 6 {
		ref = append(ref, flat(pixels, -0.9)) // far from every query but the first
		if i == refBlock+3 {
			ref[i] = flat(pixels, 0.5) // only in the second, partial block
		}
	}
	ref[0] = flat(pixels, -1)
	tests := []struct {
		name  string
		query []float32
		want  float64 // RMSE on the [0, 1] scale
	}{
		{"a copy of the first", flat(pixels, -1), 0},
		{"a copy of one in the partial block", flat(pixels, 0.5), 0},
		{"0.2 from the partial block's image: 0.1 on [0, 1]", flat(pixels, 0.7), 0.1},
		{"between -0.9 and 0.5, nearer 0.5", flat(pixels, 0.1), 0.2},
	}
	var queries [][]float32
	for _, tc := range tests {
		queries = append(queries, tc.query)
	}
	done := 0
	got, err := nearest(cpu.New(), queries, classifier.SliceImages(ref, pixels), func(n int) { done += n })
	if err != nil {
		t.Fatal(err)
	}
	if done != len(tests) {
		t.Errorf("%d queries reported, want %d", done, len(tests))
	}
	for i, tc := range tests {
		if math.Abs(got[i]-tc.want) > 1e-4 {
			t.Errorf("%s: RMSE %g, want %g", tc.name, got[i], tc.want)
		}
	}
}
