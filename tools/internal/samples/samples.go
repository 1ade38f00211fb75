// Package samples writes generated images as PNG grids for the native commands: plain grids,
// or AE decode and refined image side by side. It imports model/data.
package samples

import (
	"os"

	"flowsphere/model/data"
)

// scale is the upscaling of each 32-px image in a grid: big enough to see, crisp.
const scale = 3

// WriteGrid writes images (each [3, size, size] in [-1, 1]) cols to a row.
func WriteGrid(path string, images [][]float32, size, cols int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := data.EncodePNGGrid(f, images, size, cols, scale); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WritePairs writes decoded[i] and refined[i] next to each other, pairs pairs to a row.
func WritePairs(path string, decoded, refined [][]float32, size, pairs int) error {
	both := make([][]float32, 0, 2*len(decoded))
	for i := range decoded {
		both = append(both, decoded[i], refined[i])
	}
	return WriteGrid(path, both, size, 2*pairs)
}
