package quality

import (
	"fmt"
	"math"
)

// MSE is the mean squared error between two images on the [0, 1] scale: images in [-1, 1]
// differ by twice as much, so the squared difference is divided by 4. a, b: [n] pixels.
func MSE(a, b []float32) float64 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("quality: MSE of images with %d and %d values", len(a), len(b)))
	}
	s := 0.0
	for i, v := range a {
		d := float64(v) - float64(b[i])
		s += d * d
	}
	return s / 4 / float64(len(a))
}

// PSNR is the peak signal-to-noise ratio in dB of a mean squared error on the [0, 1] scale
// (peak 1): 10·log10(1/mse), +Inf for identical images.
func PSNR(mse float64) float64 {
	return -10 * math.Log10(mse)
}
