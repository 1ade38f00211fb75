package opcheck

import (
	"fmt"
	"math"

	"flowsphere/model/tensor"
)

// matmulEps is float32's unit roundoff.
const matmulEps = 0x1p-24

// matmulSumTol is the tolerance of outputs that are k-term float32 sums (of products) of inputs
// with standard deviations sa and sb, plus a bias or accumulated prior of scale sc. The
// device adds the k terms one after another in float32: for terms of random sign the
// rounding error grows like eps·sqrt(k) times the typical |out| = sqrt(k)·sa·sb (Abs); for
// terms of one sign (a Gram matrix's diagonal) like eps·sqrt(k)·|out| (Rel). The +4 covers
// small k, where one large product dominates. Measured errors on lavapipe stay below half
// of this.
func matmulSumTol(k int, sa, sb, sc float64) Tol {
	rk := math.Sqrt(float64(k))
	typical := rk * sa * sb // |out| of a random k-term sum
	return Tol{
		Abs: 4*matmulEps*(rk+4)*typical + 4*matmulEps*sc,
		Rel: 2 * matmulEps * (rk + 4),
		Why: "k float32 additions on the device vs float64 on the CPU: error ~ eps·sqrt(k) relative to the typical |out| " +
			"sqrt(k)·|a|·|b| (random signs) or to |out| itself (one sign), plus the rounding of bias and prior",
	}
}

// f16Eps is float16's unit roundoff and f16Min its least normal magnitude.
const (
	f16Eps = 0x1p-11
	f16Min = 0x1p-14
)

// matmulF16Tol is the tolerance of an F16 product against the CPU's, which rounds both
// operands to nearest: the device may round each operand to either neighbour (WGSL allows
// it; one f16 ulp, 2·f16Eps relative, per operand) or, without f16, not at all, so each of
// the k products may differ by about 4·f16Eps of |a|·|b|. With random signs these sum like
// sqrt(k)·sa·sb times that (six standard deviations here); with one sign, relative to
// |out|. A GPU may flush f16's subnormals (below f16Min) to zero: up to f16Min·|b| a term.
// The float32 sums' own error (matmulSumTol) comes on top.
func matmulF16Tol(k int, sa, sb, sc float64) Tol {
	rk := math.Sqrt(float64(k))
	t := matmulSumTol(k, sa, sb, sc)
	t.Abs += 6*f16Eps*(rk+4)*sa*sb + 2*f16Min*rk*max(sa, sb)
	t.Rel += 4 * f16Eps
	t.Why = "operands rounded to float16 on the CPU and rounded either way (or kept float32) on the device: " +
		"~4·eps16·|a|·|b| per product, summing like sqrt(k) with random signs, plus f16 subnormals flushed, plus " + t.Why
	return t
}

// transposeTol is exact: a transpose copies every element.
var transposeTol = Tol{Why: "a transpose copies bits"}

// matmulSpec is one MatMul case: dims, bias, the standard deviation of a (b has 1) and
// whether b is a itself (a Gram matrix, both bindings on one buffer); with residual, a
// MatMulAdd case instead, the product added to a random residual.
type matmulSpec struct {
	pass, layout string
	d            tensor.MatMulDims
	bias         bool
	scale        float64
	sameAB       bool
	residual     bool
	note         string
}

// f16 returns s asking for f16 operands (tensor.MatMulDims.F16).
func (s matmulSpec) f16() matmulSpec {
	s.d.F16 = true
	return s
}

// matmulXWt is the forward y = x·wᵀ of a linear layer as M×N×K dims.
func matmulXWt(m, n, k int) tensor.MatMulDims {
	return tensor.MatMulDims{M: m, N: n, K: k, TransB: true}
}

// matmulDYW is the input gradient dx = dy·w of a linear layer as M×N×K dims.
func matmulDYW(m, n, k int) tensor.MatMulDims { return tensor.MatMulDims{M: m, N: n, K: k} }

// matmulDYtX is the weight gradient dw += dyᵀ·x of a linear layer as M×N×K dims.
func matmulDYtX(m, n, k int) tensor.MatMulDims {
	return tensor.MatMulDims{M: m, N: n, K: k, TransA: true, Accumulate: true}
}

// actA returns d applying f to op(a) (tensor.MatMulDims.ActA).
func actA(d tensor.MatMulDims, f tensor.Activation) tensor.MatMulDims {
	d.ActA = f
	return d
}

// matmulBatched returns d with batch items laid out back to back, out items gap elements apart,
// and a or b shared (stride 0) when asked.
func matmulBatched(d tensor.MatMulDims, batch, gap int, sharedA, sharedB bool) tensor.MatMulDims {
	d.Batch, d.StrideA, d.StrideB, d.StrideOut = batch, d.M*d.K, d.K*d.N, d.M*d.N+gap
	if sharedA {
		d.StrideA = 0
	}
	if sharedB {
		d.StrideB = 0
	}
	return d
}

// name says the layout, sizes and what else is special.
func (s matmulSpec) name() string {
	d := s.d
	name := fmt.Sprintf("%s %dx%dx%d", s.layout, d.M, d.N, d.K)
	if s.residual {
		name = "add " + name
	}
	if d.F16 {
		name = "f16 " + name
	}
	if d.ActA != tensor.Identity {
		name = actNames[d.ActA] + "(a) " + name
	}
	if s.bias {
		name += " +bias"
	}
	if d.Batch > 1 {
		name += fmt.Sprintf(" batch %d strides %d/%d/%d", d.Batch, d.StrideA, d.StrideB, d.StrideOut)
	}
	if s.scale != 1 {
		name += fmt.Sprintf(" |a|~%g", s.scale)
	}
	if s.note != "" {
		name += " " + s.note
	}
	return name
}

// run checks MatMul with random a, b (and bias and prior out when used); the out items of
// a batch may have gaps between them, which must stay untouched.
func (s matmulSpec) run(h *Harness) {
	d := s.d
	last := max(d.Batch, 1) - 1
	a := h.Input(s.scale, last*d.StrideA+d.M*d.K)
	b := a
	if !s.sameAB {
		b = h.Input(1, last*d.StrideB+d.K*d.N)
	}
	nOut := last*d.StrideOut + d.M*d.N
	var bias *Pair
	var prior []float32
	added := 0.0 // scale of what is added to the product
	if s.bias {
		p := h.Input(1, d.N)
		bias, added = &p, added+1
	}
	if d.Accumulate {
		prior, added = h.Normal(nOut, 1), added+1
	}
	out := h.Output(prior, nOut)
	if s.residual {
		res := h.Input(1, nOut)
		added++
		h.Run(func(be tensor.Backend, t func(Pair) *tensor.Tensor) {
			be.MatMulAdd(t(out), t(res), t(a), t(b), Opt(t, bias), d)
		})
	} else {
		h.Run(func(be tensor.Backend, t func(Pair) *tensor.Tensor) { be.MatMul(t(out), t(a), t(b), Opt(t, bias), d) })
	}
	bScale := 1.0
	if s.sameAB {
		bScale = s.scale
	}
	tol := matmulSumTol(d.K, s.scale, bScale, added)
	if d.F16 {
		tol = matmulF16Tol(d.K, s.scale, bScale, added)
	}
	h.Check("out", out, tol)
}

// sumRowsCase checks SumRows of in: [rows, cols] (standard deviation scale) into a
// nonzero out: [cols].
func sumRowsCase(pass, name string, rows, cols int, scale float64) Case {
	return Case{"matmul", pass, fmt.Sprintf("sumrows %dx%d %s", rows, cols, name), func(h *Harness) {
		in := h.Input(scale, rows, cols)
		out := h.Output(h.Normal(cols, 1), cols)
		h.Run(func(be tensor.Backend, t func(Pair) *tensor.Tensor) { be.SumRows(t(out), t(in), rows, cols) })
		h.Check("out", out, matmulSumTol(rows, scale, 1, 1))
	}}
}

// linearDIn says what a LinearBackward case asks of dIn.
type linearDIn int

const (
	noDIn         linearDIn = iota // dIn nil: the weight and bias gradients only
	overwriteDIn                   // dIn = dY·W
	accumulateDIn                  // dIn += dY·W, into nonzero dIn
)

// linearBackwardCase checks LinearBackward over rows into nonzero dW: [out, in] and, with
// bias, dB: [out], from dY: [rows, out] with standard deviation scale, w: [out, in] and
// x: [rows, in]; with dIn also dIn: [rows, in] as mode says; for a layer applied to act(x).
func linearBackwardCase(name string, rows, out, in int, bias bool, mode linearDIn, act tensor.Activation, scale float64) Case {
	full := fmt.Sprintf("linearbackward %dx%dx%d %s", rows, out, in, name)
	if !bias {
		full += " no bias"
	}
	full += [...]string{" no dIn", "", " accumulate"}[mode]
	if act != tensor.Identity {
		full += " of " + actNames[act] + "(x)"
	}
	return Case{"matmul", "backward", full, func(h *Harness) {
		dy, w, x := h.Input(scale, rows, out), h.Input(1, out, in), h.Input(1, rows, in)
		dW := h.Output(h.Normal(out*in, 1), out, in)
		var dB, dIn *Pair
		if bias {
			p := h.Output(h.Normal(out, 1), out)
			dB = &p
		}
		if mode != noDIn {
			var prior []float32
			if mode == accumulateDIn {
				prior = h.Normal(rows*in, 1)
			}
			p := h.Output(prior, rows, in)
			dIn = &p
		}
		h.Run(func(be tensor.Backend, t func(Pair) *tensor.Tensor) {
			be.LinearBackward(Opt(t, dIn), t(dW), Opt(t, dB), t(dy), t(w), t(x),
				tensor.LinearDims{Rows: rows, Out: out, In: in, Accumulate: mode == accumulateDIn, Act: act})
		})
		h.Check("dW", dW, matmulSumTol(rows, scale, 1, 1))
		if bias {
			h.Check("dB", *dB, matmulSumTol(rows, scale, 1, 1))
		}
		if dIn != nil {
			h.Check("dIn", *dIn, matmulSumTol(out, scale, 1, 1))
		}
	}}
}

// f16RoundingCase checks that an F16 product rounds its operands where the device says it
// does (tensor.DeviceInfo.F16): 1 + 2⁻¹² is a quarter of float16's step above 1, so its
// product with 1 is 1 there (rounding to nearest or towards zero) and stays 1 + 2⁻¹² on a
// device that keeps float32.
func f16RoundingCase() Case {
	return Case{"matmul", "forward", "f16 x·wᵀ 1x1x1 rounds 1+2⁻¹² to 1 where the device has f16", func(h *Harness) {
		a, b := h.From([]float32{1 + 0x1p-12}, 1, 1), h.From([]float32{1}, 1, 1)
		out := h.Output(nil, 1, 1)
		d := matmulXWt(1, 1, 1)
		d.F16 = true
		h.Run(func(be tensor.Backend, t func(Pair) *tensor.Tensor) { be.MatMul(t(out), t(a), t(b), nil, d) })
		want := float32(1 + 0x1p-12)
		if h.Dev.Info().F16 {
			want = 1
		}
		h.CheckValues("out", out, []float32{want}, Tol{Abs: 0x1p-14, Why: "one product of exact values, rounded or not"})
	}}
}

// transposeCase checks Transpose of in: [batch, rows, cols] into out: [batch, cols, rows].
func transposeCase(pass, name string, batch, rows, cols int, scale float64) Case {
	return Case{"matmul", pass, fmt.Sprintf("transpose %dx%dx%d %s", batch, rows, cols, name), func(h *Harness) {
		in := h.Input(scale, batch, rows, cols)
		out := h.Output(nil, batch, cols, rows)
		h.Run(func(be tensor.Backend, t func(Pair) *tensor.Tensor) { be.Transpose(t(out), t(in), batch, rows, cols) })
		h.Check("out", out, transposeTol)
	}}
}

// matmulCases is the matmul family's part of the table.
func matmulCases() []Case {
	specs := []matmulSpec{
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(64, 64, 16), bias: true, note: "one whole tile"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 19), note: "no bias"},
		// Batched, with the shared operand broadcast and gaps between the out items.
		{pass: "forward", layout: "x·wᵀ", d: matmulBatched(matmulXWt(33, 17, 20), 3, 5, false, true), bias: true},
		{pass: "forward", layout: "w·x", d: matmulBatched(matmulDYW(64, 128, 64), 32, 0, true, false), note: "token mixing"},
		{pass: "backward", layout: "dyᵀ·x", d: matmulBatched(matmulDYtX(19, 70, 33), 4, 3, true, false)},
		{pass: "backward", layout: "dy·w", d: matmulBatched(matmulDYW(20, 9, 67), 2, 0, false, false)},
		// Few output tiles and a long K: split into slices of K, the last one shorter.
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 1000), bias: true, note: "split K"},
		{pass: "backward", layout: "dy·w", d: matmulDYW(20, 30, 777), note: "split K"},
		// Large magnitudes.
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 19), bias: true, scale: 1e4},
		{pass: "backward", layout: "dyᵀ·x", d: matmulDYtX(65, 37, 130), scale: 1e4},
		// The model's shapes: E = 128, QKV out 3E, SwiGLU hidden 2·344, 2048 and 8192 rows.
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(2048, 384, 128), bias: true, note: "QKV"},
		{pass: "backward", layout: "dy·w", d: matmulDYW(2048, 128, 384), note: "QKV dx"},
		{pass: "backward", layout: "dyᵀ·x", d: matmulDYtX(128, 128, 2048), note: "dW from 2048 rows (split K)"},
		{pass: "backward", layout: "dyᵀ·x", d: matmulDYtX(128, 128, 8192), note: "dW from 8192 rows (split K)"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(8192, 128, 128), note: "8192 rows"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(192, 688, 128), bias: true, note: "SwiGLU"},
		{pass: "forward", layout: "x·xᵀ", d: matmulXWt(128, 128, 384), sameAB: true, note: "Gram matrix (Muon)"},
		// MatMulAdd: off the tile, batched with gaps, the model's residual projections.
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 19), bias: true, residual: true},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(1, 1, 1), residual: true},
		{pass: "forward", layout: "x·wᵀ", d: matmulBatched(matmulXWt(33, 17, 20), 3, 5, false, true), bias: true, residual: true},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 1000), bias: true, residual: true, note: "long K, no split"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 19), bias: true, scale: 1e4, residual: true},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(2048, 128, 128), residual: true, note: "attention output"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(2048, 128, 344), bias: true, residual: true, note: "SwiGLU down"},
		// An activation applied to op(a) as it is read: a layer of f(x) (mixer, time MLP).
		{pass: "forward", layout: "x·wᵀ", d: actA(matmulXWt(37, 65, 19), tensor.GELU), bias: true},
		{pass: "forward", layout: "x·wᵀ", d: actA(matmulXWt(65, 1, 130), tensor.SiLU), bias: true, scale: 4},
		{pass: "forward", layout: "x·wᵀ", d: actA(matmulXWt(37, 65, 1000), tensor.GELU), note: "split K"},
		{pass: "forward", layout: "dyᵀ·x", d: actA(matmulBatched(matmulDYtX(19, 70, 33), 3, 5, false, true), tensor.SiLU)},
		{pass: "forward", layout: "x·wᵀ", d: actA(matmulXWt(512, 128, 256), tensor.GELU), bias: true, residual: true, note: "mixer channel down"},
	}
	// F16 operands (the f16 variant where the device has shader-f16): each layout off the
	// tile, batched, split K, the model's shapes, a residual, large and subnormal magnitudes.
	for _, s := range []matmulSpec{
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 19), bias: true},
		{pass: "backward", layout: "dy·w", d: matmulDYW(65, 37, 130)},
		{pass: "backward", layout: "dyᵀ·x", d: matmulDYtX(19, 70, 33)},
		{pass: "forward", layout: "x·wᵀ", d: matmulBatched(matmulXWt(33, 17, 20), 3, 5, false, true), bias: true},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 1000), bias: true, note: "split K"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(2048, 384, 128), bias: true, note: "QKV"},
		{pass: "forward", layout: "x·xᵀ", d: matmulXWt(128, 128, 384), sameAB: true, note: "Gram matrix"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(2048, 128, 344), bias: true, residual: true, note: "SwiGLU down"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 19), scale: 1e4, note: "near f16's largest"},
		{pass: "forward", layout: "x·wᵀ", d: matmulXWt(37, 65, 130), scale: 1e-3, note: "f16 subnormals"},
		{pass: "forward", layout: "x·wᵀ", d: actA(matmulXWt(37, 65, 19), tensor.GELU), bias: true},
	} {
		specs = append(specs, s.f16())
	}
	// Sizes off the tile in every direction, in each layout.
	for _, s := range [][3]int{{1, 1, 1}, {37, 65, 19}, {65, 1, 130}, {130, 67, 1}} {
		m, n, k := s[0], s[1], s[2]
		specs = append(specs,
			matmulSpec{pass: "forward", layout: "x·wᵀ", d: matmulXWt(m, n, k), bias: true},
			matmulSpec{pass: "backward", layout: "dy·w", d: matmulDYW(m, n, k)},
			matmulSpec{pass: "backward", layout: "dyᵀ·x", d: matmulDYtX(m, n, k)},
		)
	}
	var cases []Case
	for _, s := range specs {
		if s.scale == 0 {
			s.scale = 1
		}
		cases = append(cases, Case{"matmul", s.pass, s.name(), s.run})
	}
	return append(cases,
		f16RoundingCase(),
		linearBackwardCase("single row", 1, 1, 1, true, overwriteDIn, tensor.Identity, 1),
		linearBackwardCase("odd", 37, 65, 19, true, accumulateDIn, tensor.Identity, 1),
		linearBackwardCase("odd", 70, 19, 130, false, noDIn, tensor.Identity, 1),
		linearBackwardCase("large magnitudes", 130, 65, 37, true, overwriteDIn, tensor.Identity, 1e4),
		linearBackwardCase("slices of 2048 rows, the last shorter", 5000, 37, 19, true, accumulateDIn, tensor.Identity, 1),
		linearBackwardCase("split", 4100, 19, 70, false, noDIn, tensor.Identity, 1),
		linearBackwardCase("QKV of batch 8", 512, 384, 128, false, overwriteDIn, tensor.Identity, 1),
		linearBackwardCase("SwiGLU up of batch 8", 512, 688, 128, true, accumulateDIn, tensor.Identity, 1),
		linearBackwardCase("adaLN modulation of batch 8, dIn split along K", 8, 768, 128, true, accumulateDIn, tensor.Identity, 1),
		linearBackwardCase("SwiGLU up of batch 32", 2048, 688, 128, true, overwriteDIn, tensor.Identity, 1),
		linearBackwardCase("refiner batch 32 (3 slices)", 6144, 128, 128, true, overwriteDIn, tensor.Identity, 1),
		linearBackwardCase("odd", 37, 65, 19, true, accumulateDIn, tensor.GELU, 1),
		linearBackwardCase("odd", 70, 19, 130, false, noDIn, tensor.SiLU, 1),
		linearBackwardCase("time MLP of batch 8", 8, 128, 128, true, overwriteDIn, tensor.SiLU, 1),
		linearBackwardCase("mixer channel down of batch 8", 512, 128, 256, true, overwriteDIn, tensor.GELU, 1),
		linearBackwardCase("dIn split along K", 8, 768, 128, true, accumulateDIn, tensor.GELU, 1),
		linearBackwardCase("slices of 2048 rows", 5000, 37, 19, true, overwriteDIn, tensor.GELU, 1),
		sumRowsCase("forward", "odd", 37, 65, 1),
		sumRowsCase("forward", "one row", 1, 300, 1),
		sumRowsCase("forward", "one column", 1000, 1, 1),
		sumRowsCase("forward", "three reduction levels", 70000, 3, 1),
		sumRowsCase("forward", "large magnitudes", 300, 65, 1e4),
		sumRowsCase("backward", "single element", 1, 1, 1),
		sumRowsCase("backward", "bias gradient of QKV", 8192, 384, 1),
		sumRowsCase("backward", "bias gradient", 2048, 128, 1),
		sumRowsCase("backward", "AddBroadcast over batch 32 of 64 tokens·128", 32, 8192, 1),
		transposeCase("forward", "single element", 1, 1, 1, 1),
		transposeCase("forward", "one row", 1, 1, 77, 1),
		transposeCase("forward", "odd", 1, 37, 65, 1),
		transposeCase("forward", "batched odd", 3, 17, 33, 1),
		transposeCase("forward", "tokens to channels, batch 32", 32, 64, 128, 1),
		transposeCase("forward", "large magnitudes", 2, 19, 23, 1e4),
		// Backward: the gradient goes through Transpose with rows and cols swapped.
		transposeCase("backward", "one column", 1, 77, 1, 1),
		transposeCase("backward", "odd", 1, 65, 37, 1),
		transposeCase("backward", "batched odd", 3, 33, 17, 1),
		transposeCase("backward", "channels to tokens, batch 32", 32, 128, 64, 1),
	)
}
