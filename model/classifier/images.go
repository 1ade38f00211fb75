package classifier

import "flowsphere/model/data"

// Images is a source of N images of Pixels values each, read in batches, so that a large
// set is never held as float32 all at once.
type Images struct {
	N      int
	Pixels int
	// Fill writes images from, from+1, …, to−1 into dst: [(to−from)·Pixels], each planar
	// [channels, size, size] in [-1, 1].
	Fill func(dst []float32, from, to int)
}

// SliceImages serves ims: [n][pixels].
func SliceImages(ims [][]float32, pixels int) Images {
	return Images{N: len(ims), Pixels: pixels, Fill: func(dst []float32, from, to int) {
		for i := from; i < to; i++ {
			copy(dst[(i-from)*pixels:(i-from+1)*pixels], ims[i])
		}
	}}
}

// SetImages serves the first n images (all if n ≤ 0 or beyond) of a data set's training
// split (train true) or held-out split.
func SetImages(s *data.Set, train bool, n int) Images {
	return Images{N: len(first(s, train, n)), Pixels: 3 * s.Size * s.Size, Fill: func(dst []float32, from, to int) {
		idx := make([]int, to-from)
		for i := range idx {
			idx[i] = from + i
		}
		s.Batch(dst, idx, train)
	}}
}

// Labels returns the labels of the images SetImages(s, train, n) serves.
func Labels(s *data.Set, train bool, n int) []int {
	ims := first(s, train, n)
	out := make([]int, len(ims))
	for i, im := range ims {
		out[i] = im.Label
	}
	return out
}

// first is the first n images (all if n ≤ 0 or beyond) of a split.
func first(s *data.Set, train bool, n int) []data.Image {
	split := s.Test
	if train {
		split = s.Train
	}
	if n <= 0 || n > len(split) {
		n = len(split)
	}
	return split[:n]
}
