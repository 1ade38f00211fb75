package cpu

import (
	"fmt"
	"math"
	"testing"

	"flowsphere/model/tensor"
)

// actName labels activations in test names.
var actName = map[tensor.Activation]string{tensor.SiLU: "silu", tensor.GELU: "gelu"}

// TestActGradient checks ActBackward for SiLU and GELU against central differences, on
// inputs of several scales (the largest reach well into saturation).
func TestActGradient(t *testing.T) {
	for i, tc := range []struct {
		f     tensor.Activation
		n     int
		scale float64
	}{
		{tensor.SiLU, 1, 1}, {tensor.SiLU, 40, 1}, {tensor.SiLU, 40, 8},
		{tensor.GELU, 1, 1}, {tensor.GELU, 40, 1}, {tensor.GELU, 40, 5},
	} {
		t.Run(fmt.Sprintf("%s n=%d scale=%g", actName[tc.f], tc.n, tc.scale), func(t *testing.T) {
			rng := newRand(uint64(i))
			in, w := randn(rng, tc.n, tc.scale), randn(rng, tc.n, 1)
			out, dIn := make([]float64, tc.n), make([]float64, tc.n)
			loss := func() float64 {
				act(out, in, tc.f)
				return dot(w, out)
			}
			actBackward(dIn, w, in, tc.f)
			gradCheck(t, loss, [][]float64{in}, [][]float64{dIn}, 1e-6)
		})
	}
}

// TestActValues compares the sigmoid forms with the textbook formulas and checks that
// saturated inputs give finite values.
func TestActValues(t *testing.T) {
	silu := func(x float64) float64 { return x / (1 + math.Exp(-x)) }
	gelu := func(x float64) float64 { return 0.5 * x * (1 + math.Tanh(geluK*(x+geluC*x*x*x))) }
	for x := -30.0; x <= 30; x += 0.37 {
		for _, tc := range []struct {
			f    tensor.Activation
			want float64
		}{{tensor.SiLU, silu(x)}, {tensor.GELU, gelu(x)}} {
			// 1 + tanh u cancels for negative x: allow its absolute rounding error.
			if got := actValue(x, tc.f); math.Abs(got-tc.want) > 1e-12*math.Max(1, math.Abs(x)) {
				t.Errorf("%s(%g) = %.17g, want %.17g", actName[tc.f], x, got, tc.want)
			}
		}
	}
	for _, x := range []float64{-1e4, -100, 100, 1e4} {
		for _, f := range []tensor.Activation{tensor.SiLU, tensor.GELU} {
			v, d := actValue(x, f), actSlope(x, f)
			if math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(d) || math.IsInf(d, 0) {
				t.Errorf("%s(%g) = %g, slope %g", actName[f], x, v, d)
			}
		}
	}
}

// TestSwiGLUGradient checks SwiGLUBackward against central differences.
func TestSwiGLUGradient(t *testing.T) {
	for i, tc := range []struct{ rows, f int }{{1, 1}, {3, 5}, {2, 17}} {
		t.Run(fmt.Sprintf("%dx%d", tc.rows, tc.f), func(t *testing.T) {
			rng := newRand(uint64(i))
			in, w := randn(rng, 2*tc.rows*tc.f, 2), randn(rng, tc.rows*tc.f, 1)
			out, dIn := make([]float64, tc.rows*tc.f), make([]float64, 2*tc.rows*tc.f)
			loss := func() float64 {
				swiGLU(out, in, tc.rows, tc.f)
				return dot(w, out)
			}
			swiGLUBackward(dIn, w, in, tc.rows, tc.f)
			gradCheck(t, loss, [][]float64{in}, [][]float64{dIn}, 1e-6)
		})
	}
}

// TestSwiGLUBackwardRow checks the float32 row kernel, whichever variant this build runs,
// against the float64 one on rows shorter than a vector, whole vectors and a tail.
func TestSwiGLUBackwardRow(t *testing.T) {
	rng := newRand(9)
	for _, n := range []int{5, 16, 77, 192} {
		in := randn(rng, 3*n, 3)
		da, db := make([]float64, n), make([]float64, n)
		swiGLUBackwardRow(da, db, in[:n], in[n:2*n], in[2*n:])
		in32 := make([]float32, 3*n)
		for i, v := range in {
			in32[i] = float32(v)
		}
		da32, db32 := make([]float32, n), make([]float32, n)
		swiGLUBackwardRow(da32, db32, in32[:n], in32[n:2*n], in32[2*n:])
		for i := range n {
			for _, p := range [][2]float64{{float64(da32[i]), da[i]}, {float64(db32[i]), db[i]}} {
				if math.Abs(p[0]-p[1]) > 1e-5*(1+math.Abs(p[1])) {
					t.Fatalf("n = %d, element %d: float32 %g, float64 %g", n, i, p[0], p[1])
				}
			}
		}
	}
}

// TestActFloat32 checks act and actBackward on float32 rows, in vector lanes where the build
// has them, against float64 rows, for both activations at lengths with and without whole
// vectors.
func TestActFloat32(t *testing.T) {
	rng := newRand(12)
	for _, f := range []tensor.Activation{tensor.SiLU, tensor.GELU} {
		for _, n := range []int{5, 16, 77} {
			in, dOut := randn(rng, n, 3), randn(rng, n, 1)
			in32, dOut32 := make([]float32, n), make([]float32, n)
			for i := range n {
				in32[i], dOut32[i] = float32(in[i]), float32(dOut[i])
			}
			y, dx := make([]float64, n), make([]float64, n)
			y32, dx32 := make([]float32, n), make([]float32, n)
			act(y, in, f)
			act(y32, in32, f)
			actBackward(dx, dOut, in, f)
			actBackward(dx32, dOut32, in32, f)
			for i := range n {
				for _, p := range [][2]float64{{float64(y32[i]), y[i]}, {float64(dx32[i]), dx[i]}} {
					if math.Abs(p[0]-p[1]) > 1e-5*(1+math.Abs(p[1])) {
						t.Fatalf("%s n = %d element %d: float32 %g, float64 %g", actName[f], n, i, p[0], p[1])
					}
				}
			}
		}
	}
}
