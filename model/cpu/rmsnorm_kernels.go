package cpu

import (
	"math"

	"flowsphere/model/cpu/pool"
)

// spherifyEps makes Spherify the smooth form of the seed's in/max(rms, 1e-6): both give
// 1/rstd = 1e-6 on an all-zero row (output 0, gradient 1e6·dOut). Elsewhere out =
// in/sqrt(rms² + eps) differs from in/rms by the relative amount eps/(2·rms²): below
// float32 rounding for rms > 3e-3, 5e-7 at rms = 1e-3, 1/sqrt(2) at rms = 1e-6. Real
// inputs (encoder outputs, noised sphere points) have rms near 1. The WebGPU backend uses
// the same value.
const spherifyEps float32 = 1e-12

// gainAt is gain[c], or 1 when there is no gain.
func gainAt[T Float](gain []T, c int) float64 {
	if gain == nil {
		return 1
	}
	return float64(gain[c])
}

// rmsNorm computes out[r,:] = in[r,:]·rstd[r]·gain and rstd[r] = 1/sqrt(mean(in[r,:]²) + eps),
// summing squares in float64. out, in: [rows, cols]; rstd: [rows]; gain: [cols] or nil.
func rmsNorm[T Float](out, rstd, in, gain []T, rows, cols int, eps float64) {
	pool.Run(rows, max(1, 4096/max(cols, 1)), rmsNormTask[T]{out, rstd, in, gain, cols, eps})
}

type rmsNormTask[T Float] struct {
	out, rstd, in, gain []T
	cols                int
	eps                 float64
}

func (t *rmsNormTask[T]) Run(_ *pool.Worker, lo, hi int) {
	cols := t.cols
	for r := lo; r < hi; r++ {
		x, y := t.in[r*cols:(r+1)*cols], t.out[r*cols:(r+1)*cols]
		s := 1 / math.Sqrt(weightedDot(x, x, nil)/float64(cols)+t.eps)
		t.rstd[r] = T(s)
		mulAffine(y, x, t.gain, s, 0)
	}
}

// rmsNormBackward overwrites dIn: [rows, cols] and, when dGain is not nil, adds into
// dGain: [cols], from dOut, in: [rows, cols], gain: [cols] or nil and the forward's
// rstd: [rows]. With s = rstd[r] and y = x·s·g, ∂s/∂x_j = −s³·x_j/cols, so
// dx_j = s·g_j·dy_j − x_j·s³/cols·Σ_i dy_i·g_i·x_i. dRes: [rows, cols], when not nil, is
// added to dIn (a residual stream's gradient).
func rmsNormBackward[T Float](dIn, dGain, dOut, dRes, in, gain, rstd []T, rows, cols int) {
	pool.Run(rows, max(1, 4096/max(cols, 1)), rmsNormBackwardTask[T]{dIn, dOut, dRes, in, gain, rstd, cols})
	if dGain == nil {
		return
	}
	// Parallel over column strips, each summing every row in order, so the result does not
	// depend on the thread count.
	pool.Run(ceilDiv(cols, stripCols), 1, rmsNormGainTask[T]{dGain, dOut, in, rstd, rows, cols})
}

type rmsNormBackwardTask[T Float] struct {
	dIn, dOut, dRes, in, gain, rstd []T
	cols                            int
}

func (t *rmsNormBackwardTask[T]) Run(_ *pool.Worker, lo, hi int) {
	cols := t.cols
	for r := lo; r < hi; r++ {
		x, dy, dx := t.in[r*cols:(r+1)*cols], t.dOut[r*cols:(r+1)*cols], t.dIn[r*cols:(r+1)*cols]
		s := float64(t.rstd[r])
		k := s * s * s * weightedDot(dy, x, t.gain) / float64(cols)
		normBackwardRow(dx, dy, x, t.gain, s, k)
		if t.dRes != nil {
			axpbyRow(dx, t.dRes[r*cols:(r+1)*cols], 1, 1)
		}
	}
}

// rmsNormGainTask adds dGain[c] += Σ_r dOut[r,c]·in[r,c]·rstd[r] for column strips (stripCols).
type rmsNormGainTask[T Float] struct {
	dGain, dOut, in, rstd []T
	rows, cols            int
}

func (t *rmsNormGainTask[T]) Run(w *pool.Worker, lo, hi int) {
	c0, c1 := stripColumns(lo, hi, t.cols)
	acc := w.Float64s(c1 - c0)
	clear(acc)
	columnSums(acc, t.dOut[c0:], t.in[c0:], t.rstd, t.rows, t.cols)
	for i, v := range acc {
		t.dGain[c0+i] += T(v)
	}
}

// normModulate is RMSNorm without gain (rstd stored) followed by modulate, in place on out.
// out, in: [batch, tokens, c]; rstd: [batch·tokens]; mod: [batch, m].
func normModulate[T Float](out, rstd, in, mod []T, batch, tokens, c, m, shiftOff, scaleOff int, eps float64) {
	rmsNorm(out, rstd, in, nil, batch*tokens, c, eps)
	modulate(out, out, mod, batch, tokens, c, m, shiftOff, scaleOff)
}

// normModulateBackward is normModulate's backward: the normalised rows n = in·rstd again,
// adalnBackward through the modulation into dN (overwriting dMod's shift and scale chunks),
// then rmsNormBackward from dN into dIn (plus dRes when not nil). buf holds n and dN.
// dIn, dOut, in, dRes: [batch, tokens, c]; rstd: [batch·tokens]; dMod, mod: [batch, m].
func normModulateBackward[T Float](dIn, dMod, dOut, dRes, in, mod, rstd []T, batch, tokens, c, m, shiftOff, scaleOff int, buf *pool.Buffer[T]) {
	rows := batch * tokens
	nd, held := buf.Take(2 * rows * c)
	defer buf.Give(held)
	n, dN := nd[:rows*c], nd[rows*c:]
	for r := range rows {
		for j, v := range in[r*c : (r+1)*c] {
			n[r*c+j] = v * rstd[r]
		}
	}
	adalnBackward(dN, dMod, dOut, n, mod, batch, tokens, c, m, scaleOff, shiftOff, 1)
	rmsNormBackward(dIn, nil, dN, dRes, in, nil, rstd, rows, c)
}
