package quality

import (
	"fmt"
	"math"
)

// SSIM window and constants of Wang et al. (2004): an 11×11 Gaussian window with σ = 1.5,
// C1 = (0.01·L)² and C2 = (0.03·L)² for the dynamic range L = 1.
const (
	ssimWindow = 11
	ssimSigma  = 1.5
	ssimC1     = 0.01 * 0.01
	ssimC2     = 0.03 * 0.03
)

// SSIM is the structural similarity of two images on the [0, 1] scale, averaged over the
// "valid" window positions (the window never leaves the image) and then over channels.
// Images smaller than the window use a window as wide as the image. Identical images score
// 1. a, b: [channels, size, size] in [-1, 1].
func SSIM(a, b []float32, channels, size int) float64 {
	plane := size * size
	if len(a) != channels*plane || len(b) != channels*plane {
		panic(fmt.Sprintf("quality: SSIM of %d and %d values, want %d×%d×%d", len(a), len(b), channels, size, size))
	}
	w := gaussian(min(ssimWindow, size), ssimSigma)
	x, y := make([]float64, plane), make([]float64, plane)
	sum := 0.0
	for c := range channels {
		for i := range plane {
			x[i] = (float64(a[c*plane+i]) + 1) / 2
			y[i] = (float64(b[c*plane+i]) + 1) / 2
		}
		sum += ssimPlane(x, y, size, w)
	}
	return sum / float64(channels)
}

// ssimPlane is the mean SSIM map of two planes x, y: [size·size] in [0, 1] under the
// separable window w.
func ssimPlane(x, y []float64, size int, w []float64) float64 {
	prod := func(f func(i int) float64) []float64 {
		out := make([]float64, len(x))
		for i := range out {
			out[i] = f(i)
		}
		return filter(out, size, w)
	}
	mx, my := filter(x, size, w), filter(y, size, w)
	xx := prod(func(i int) float64 { return x[i] * x[i] })
	yy := prod(func(i int) float64 { return y[i] * y[i] })
	xy := prod(func(i int) float64 { return x[i] * y[i] })
	sum := 0.0
	for i := range mx {
		vx, vy, cxy := xx[i]-mx[i]*mx[i], yy[i]-my[i]*my[i], xy[i]-mx[i]*my[i]
		sum += (2*mx[i]*my[i] + ssimC1) * (2*cxy + ssimC2) /
			((mx[i]*mx[i] + my[i]*my[i] + ssimC1) * (vx + vy + ssimC2))
	}
	return sum / float64(len(mx))
}

// filter is the "valid" 2-D correlation of p: [size·size] with the separable window w:
// [k]; the result is [(size−k+1)²].
func filter(p []float64, size int, w []float64) []float64 {
	k := len(w)
	out := size - k + 1
	rows := make([]float64, size*out) // horizontal pass: [size, out]
	for r := range size {
		for c := range out {
			s := 0.0
			for j, wj := range w {
				s += wj * p[r*size+c+j]
			}
			rows[r*out+c] = s
		}
	}
	res := make([]float64, out*out)
	for r := range out {
		for c := range out {
			s := 0.0
			for j, wj := range w {
				s += wj * rows[(r+j)*out+c]
			}
			res[r*out+c] = s
		}
	}
	return res
}

// gaussian is a normalised 1-D Gaussian window of k taps: [k].
func gaussian(k int, sigma float64) []float64 {
	w := make([]float64, k)
	sum, mid := 0.0, float64(k-1)/2
	for i := range w {
		d := float64(i) - mid
		w[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}
