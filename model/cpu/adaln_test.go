package cpu

import (
	"fmt"
	"testing"

	"flowsphere/model/cpu/pool"
)

// adalnShape is one test shape: mod holds chunks of width c at the given offsets.
type adalnShape struct{ batch, tokens, c, m, off0, off1 int }

var adalnShapes = []adalnShape{
	{1, 1, 1, 3, 0, 2},
	{2, 3, 5, 30, 10, 15},
	{3, 4, 7, 42, 21, 7},
}

// untouched is the value dMod starts from; chunks a backward must not write keep it.
const untouched = 12345.5

// modGrad returns dMod with every chunk other than the written ones (starting at offs)
// checked to still hold untouched and then zeroed: those entries of mod do not affect the
// output, so their true gradient is 0.
func modGrad(t *testing.T, dMod []float64, s adalnShape, offs ...int) []float64 {
	t.Helper()
	out := append([]float64(nil), dMod...)
	for b := range s.batch {
		for j := range s.m {
			written := false
			for _, o := range offs {
				written = written || (j >= o && j < o+s.c)
			}
			if written {
				continue
			}
			if out[b*s.m+j] != untouched {
				t.Fatalf("dMod[%d,%d] = %g was overwritten", b, j, out[b*s.m+j])
			}
			out[b*s.m+j] = 0
		}
	}
	return out
}

// filled returns n copies of v.
func filled(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestNormModulateGradient checks dIn, dShift and dScale of NormModulate against central
// differences, and that its backward leaves the other chunks of dMod alone.
func TestNormModulateGradient(t *testing.T) {
	for i, s := range adalnShapes {
		t.Run(fmt.Sprintf("%+v", s), func(t *testing.T) {
			rng := newRand(uint64(i))
			n, rows := s.batch*s.tokens*s.c, s.batch*s.tokens
			in, mod, w := randn(rng, n, 1), randn(rng, s.batch*s.m, 1), randn(rng, n, 1)
			out, rstd, dIn, dMod := make([]float64, n), make([]float64, rows), make([]float64, n), filled(s.batch*s.m, untouched)
			loss := func() float64 {
				normModulate(out, rstd, in, mod, s.batch, s.tokens, s.c, s.m, s.off0, s.off1, 1e-6)
				return dot(w, out)
			}
			loss()
			var buf pool.Buffer[float64]
			normModulateBackward(dIn, dMod, w, nil, in, mod, rstd, s.batch, s.tokens, s.c, s.m, s.off0, s.off1, &buf)
			gradCheck(t, loss, [][]float64{in, mod}, [][]float64{dIn, modGrad(t, dMod, s, s.off0, s.off1)}, 1e-6)
		})
	}
}

// TestGateResidualGradient checks dY and dGate of GateResidual against central
// differences, that dX passes through unchanged, and that only the gate chunk is written.
func TestGateResidualGradient(t *testing.T) {
	for i, s := range adalnShapes {
		t.Run(fmt.Sprintf("%+v", s), func(t *testing.T) {
			rng := newRand(uint64(i))
			n := s.batch * s.tokens * s.c
			x0, y, mod, w := randn(rng, n, 1), randn(rng, n, 1), randn(rng, s.batch*s.m, 1), randn(rng, n, 1)
			out, dY, dMod := make([]float64, n), make([]float64, n), filled(s.batch*s.m, untouched)
			loss := func() float64 {
				gateResidual(out, x0, y, mod, s.batch, s.tokens, s.c, s.m, s.off1)
				return dot(w, out)
			}
			adalnBackward(dY, dMod, w, y, mod, s.batch, s.tokens, s.c, s.m, s.off1, -1, 0)
			// The gradient of the residual input is dX = w itself.
			gradCheck(t, loss, [][]float64{x0, y, mod}, [][]float64{w, dY, modGrad(t, dMod, s, s.off1)}, 1e-6)
		})
	}
}
