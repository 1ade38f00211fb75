package quality

import (
	"flowsphere/model/parallel"
	"fmt"
	"slices"
)

// PrecisionRecall measures two sets of feature vectors against each other with k-nearest-
// neighbour manifolds (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric for
// Assessing Generative Models"): each vector's ball reaches its k-th nearest neighbour in its
// own set; precision is the share of generated vectors inside some real vector's ball (are
// the samples realistic?), recall the share of real vectors inside some generated vector's
// ball (is all of the data covered, or were modes dropped?). real, fake: [n][d], ideally of
// the same size, since a ball's radius shrinks as its set grows.
func PrecisionRecall(real, fake [][]float32, k int) (precision, recall float64, err error) {
	if k < 1 || len(real) <= k || len(fake) <= k {
		return 0, 0, fmt.Errorf("quality: %d-nearest-neighbour balls need more than %d vectors in each set, have %d and %d", k, k, len(real), len(fake))
	}
	d := len(real[0])
	for _, set := range [][][]float32{real, fake} {
		for i, v := range set {
			if len(v) != d {
				return 0, 0, fmt.Errorf("quality: feature vector %d has %d values, want %d", i, len(v), d)
			}
		}
	}
	realRadius, fakeRadius := kthRadii(real, k), kthRadii(fake, k)
	return covered(fake, real, realRadius), covered(real, fake, fakeRadius), nil
}

// kthRadii is, for each vector of set, the squared distance to its k-th nearest other vector.
func kthRadii(set [][]float32, k int) []float64 {
	out := make([]float64, len(set))
	parallel.For(len(set), func(i int) {
		nearest := make([]float64, 0, k+1) // the k smallest distances so far, ascending
		for j, w := range set {
			if j == i {
				continue
			}
			dd := sqDist(set[i], w)
			if len(nearest) == k && dd >= nearest[k-1] {
				continue
			}
			at, _ := slices.BinarySearch(nearest, dd)
			nearest = slices.Insert(nearest, at, dd)
			if len(nearest) > k {
				nearest = nearest[:k]
			}
		}
		out[i] = nearest[k-1]
	})
	return out
}

// covered is the share of queries inside the ball of at least one centre (squared radii).
func covered(queries, centres [][]float32, radii []float64) float64 {
	in := make([]bool, len(queries))
	parallel.For(len(queries), func(i int) {
		for j, c := range centres {
			if sqDist(queries[i], c) <= radii[j] {
				in[i] = true
				return
			}
		}
	})
	n := 0
	for _, v := range in {
		if v {
			n++
		}
	}
	return float64(n) / float64(len(queries))
}

// sqDist is |a − b|² in float64.
func sqDist(a, b []float32) float64 {
	s := 0.0
	for i, v := range a {
		d := float64(v) - float64(b[i])
		s += d * d
	}
	return s
}
