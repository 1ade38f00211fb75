package cpu

import (
	"fmt"
	"math"
	"testing"
)

// TestRMSNormGradient checks dIn and dGain of RMSNorm (with and without gain) and of
// Spherify's tiny-eps form against central differences in float64.
func TestRMSNormGradient(t *testing.T) {
	for i, tc := range []struct {
		rows, cols int
		gain       bool
		eps        float64
	}{
		{1, 1, false, 1e-6},
		{1, 1, true, 1e-6},
		{3, 5, false, 1e-5},
		{3, 5, true, 1e-5},
		{4, 33, true, 1e-6},
		{2, 64, true, 0},
		{2, 7, false, float64(spherifyEps)},
		{5, 16, false, float64(spherifyEps)},
	} {
		t.Run(fmt.Sprintf("%dx%d gain=%v eps=%g", tc.rows, tc.cols, tc.gain, tc.eps), func(t *testing.T) {
			rng := newRand(uint64(i))
			n := tc.rows * tc.cols
			in, w := randn(rng, n, 1), randn(rng, n, 1)
			var gain, dGain, dGain0 []float64
			if tc.gain {
				gain = randn(rng, tc.cols, 1)
				// dGain accumulates: start it from junk and subtract that afterwards.
				dGain0 = randn(rng, tc.cols, 1)
				dGain = append([]float64(nil), dGain0...)
			}
			out, rstd, dIn := make([]float64, n), make([]float64, tc.rows), make([]float64, n)
			loss := func() float64 {
				rmsNorm(out, rstd, in, gain, tc.rows, tc.cols, tc.eps)
				return dot(w, out)
			}
			loss()
			rmsNormBackward(dIn, dGain, w, nil, in, gain, rstd, tc.rows, tc.cols)
			// dRes adds to dIn and changes nothing else.
			dRes, withRes := randn(rng, n, 1), make([]float64, n)
			rmsNormBackward(withRes, nil, w, dRes, in, gain, rstd, tc.rows, tc.cols)
			for j := range withRes {
				if withRes[j] != dIn[j]+dRes[j] {
					t.Fatalf("element %d with dRes: %g, want %g + %g", j, withRes[j], dIn[j], dRes[j])
				}
			}
			params, grads := [][]float64{in}, [][]float64{dIn}
			if tc.gain {
				for c := range dGain {
					dGain[c] -= dGain0[c]
				}
				params, grads = append(params, gain), append(grads, dGain)
			}
			gradCheck(t, loss, params, grads, 1e-6)
		})
	}
}

// TestSpherifyNorm checks |out[r,:]| = sqrt(cols) for rows of very different scales, the
// documented effect of spherifyEps on a row of rms 1e-6, and that an all-zero row stays
// zero instead of turning into NaN.
func TestSpherifyNorm(t *testing.T) {
	be := New()
	for i, tc := range []struct {
		rows, cols int
		scale      float64
	}{{1, 1, 1}, {3, 64, 1e-2}, {4, 300, 1}, {2, 1024, 1e4}} {
		rng := newRand(uint64(i))
		in := be.New(tc.rows, tc.cols)
		for j, v := range randn(rng, tc.rows*tc.cols, tc.scale) {
			in.Host[j] = float32(v)
		}
		out, rstd := be.New(tc.rows, tc.cols), be.New(tc.rows)
		be.Spherify(out, rstd, in, tc.rows, tc.cols)
		for r := range tc.rows {
			norm := 0.0
			for _, v := range out.Host[r*tc.cols : (r+1)*tc.cols] {
				norm += float64(v) * float64(v)
			}
			norm = math.Sqrt(norm)
			// float32 rounding of each element leaves ~1e-7 relative error in the norm.
			if want := math.Sqrt(float64(tc.cols)); math.Abs(norm-want) > 1e-6*want {
				t.Errorf("%dx%d scale %g row %d: norm %.9g, want %.9g", tc.rows, tc.cols, tc.scale, r, norm, want)
			}
		}
	}
	in, out, rstd := be.New(2, 8), be.New(2, 8), be.New(2)
	be.Fill(in, 1e-6)
	be.Fill(be.View(in, 8, 8), 0)
	be.Spherify(out, rstd, in, 2, 8)
	for i, v := range out.Host {
		want := float32(0)
		if i < 8 {
			want = float32(1 / math.Sqrt2) // 1e-6/sqrt(1e-12 + eps) with eps = 1e-12
		}
		if math.Abs(float64(v-want)) > 1e-6 {
			t.Fatalf("spherify of rows of 1e-6 and 0: out[%d] = %g, want %g", i, v, want)
		}
	}
}
