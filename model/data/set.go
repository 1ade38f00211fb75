package data

import "fmt"

// Set is a prepared dataset: square RGB images of one size, split into training and held-out
// test images.
type Set struct {
	Name    string   // "emoji32", "mnist32" or the folder's name
	Size    int      // side of every image in pixels
	Train   []Image  // images to train on
	Test    []Image  // held-out images, for evaluation only
	Classes []string // label names; Image.Label indexes it; empty when the set has no labels
}

// Image is one dataset image. Pixels are planar [3, size, size] uint8, 0 ↔ -1 and 255 ↔ 1:
// a quarter of the memory of float32 for the same 8-bit source data.
type Image struct {
	Pixels []uint8 // [3, size, size]
	Label  int     // index into Set.Classes, -1 if none
}

// Float returns the pixels as planar [3, size, size] float32 in [-1, 1].
func (im Image) Float() []float32 { return toFloat(im.Pixels) }

// Batch fills dst, [len(idx), 3, size, size], with the images idx of the training split
// (train true) or the test split, converted to [-1, 1]. It panics if dst is too short or an
// index is out of range, as slice indexing does.
func (s *Set) Batch(dst []float32, idx []int, train bool) {
	src := s.Test
	if train {
		src = s.Train
	}
	n := 3 * s.Size * s.Size
	if len(dst) < len(idx)*n {
		panic(fmt.Sprintf("data: Batch dst has %d values, %d images need %d", len(dst), len(idx), len(idx)*n))
	}
	for b, i := range idx {
		fillFloat(dst[b*n:(b+1)*n], src[i].Pixels)
	}
}

// ClassCounts returns how many training and test images carry each class label, indexed
// like Classes.
func (s *Set) ClassCounts() (train, test []int) {
	count := func(ims []Image) []int {
		c := make([]int, len(s.Classes))
		for _, im := range ims {
			if im.Label >= 0 && im.Label < len(c) {
				c[im.Label]++
			}
		}
		return c
	}
	return count(s.Train), count(s.Test)
}
