package quality

import (
	"math"
	"math/rand/v2"
	"testing"
)

// constant is a [3, size, size] image with every value v (in [-1, 1]).
func constant(size int, v float32) []float32 {
	im := make([]float32, 3*size*size)
	for i := range im {
		im[i] = v
	}
	return im
}

// noisy returns im plus ±delta alternating per pixel (in [-1, 1] units).
func noisy(im []float32, delta float32) []float32 {
	out := append([]float32(nil), im...)
	for i := range out {
		if i%2 == 0 {
			out[i] += delta
		} else {
			out[i] -= delta
		}
	}
	return out
}

func TestPSNR(t *testing.T) {
	base := constant(8, 0)
	tests := []struct {
		name string
		a, b []float32
		want float64 // dB
	}{
		{"identical", base, base, math.Inf(1)},
		{"±0.2 in [-1, 1] is ±0.1 in [0, 1]: MSE 0.01", base, noisy(base, 0.2), 20},
		{"±0.02: MSE 1e-4", base, noisy(base, 0.02), 40},
		{"black against white: MSE 1", constant(8, -1), constant(8, 1), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := PSNR(MSE(tc.a, tc.b))
			if !(got == tc.want || math.Abs(got-tc.want) < 1e-4) {
				t.Fatalf("PSNR = %g dB, want %g", got, tc.want)
			}
		})
	}
}

// ssimDirect is SSIM computed without the separable filter: every window position's
// Gaussian-weighted statistics summed out in 2-D.
func ssimDirect(a, b []float32, channels, size int) float64 {
	k := min(ssimWindow, size)
	w := gaussian(k, ssimSigma)
	plane, out := size*size, size-k+1
	total := 0.0
	for c := range channels {
		at := func(im []float32, r, col int) float64 { return (float64(im[c*plane+r*size+col]) + 1) / 2 }
		sum := 0.0
		for r := range out {
			for col := range out {
				var mx, my, xx, yy, xy float64
				for i := range k {
					for j := range k {
						wt := w[i] * w[j]
						x, y := at(a, r+i, col+j), at(b, r+i, col+j)
						mx, my, xx, yy, xy = mx+wt*x, my+wt*y, xx+wt*x*x, yy+wt*y*y, xy+wt*x*y
					}
				}
				sum += (2*mx*my + ssimC1) * (2*(xy-mx*my) + ssimC2) /
					((mx*mx + my*my + ssimC1) * (xx - mx*mx + yy - my*my + ssimC2))
			}
		}
		total += sum / float64(out*out)
	}
	return total / float64(channels)
}

func TestSSIM(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	random := func(size int) []float32 {
		im := make([]float32, 3*size*size)
		for i := range im {
			im[i] = float32(2*rng.Float64() - 1)
		}
		return im
	}
	// Constant images c and c + δ on the [0, 1] scale: no variance, so SSIM is the luminance
	// term (2c(c+δ) + C1) / (c² + (c+δ)² + C1) alone.
	c, d := 0.25, 0.5
	shift := (2*c*(c+d) + ssimC1) / (c*c + (c+d)*(c+d) + ssimC1)
	x32, y32, x8 := random(32), random(32), random(8)
	tests := []struct {
		name string
		a, b []float32
		size int
		want float64
	}{
		{"identical", x32, x32, 32, 1},
		{"identical, smaller than the window", x8, x8, 8, 1},
		{"constant shift", constant(32, float32(2*c-1)), constant(32, float32(2*(c+d)-1)), 32, shift},
		{"noise, against the 2-D sum", x32, noisy(x32, 0.3), 32, ssimDirect(x32, noisy(x32, 0.3), 3, 32)},
		{"unrelated, against the 2-D sum", x32, y32, 32, ssimDirect(x32, y32, 3, 32)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SSIM(tc.a, tc.b, 3, tc.size)
			if math.Abs(got-tc.want) > 1e-9 {
				t.Fatalf("SSIM = %.12g, want %.12g", got, tc.want)
			}
		})
	}
}
