package shaders

import "fmt"

// MatMulShape describes out = op(a)·op(b) (+ bias), batched, as tensor.MatMulDims does
// (this package does not import model): op(a) is M×K (a stored M×K, or K×M when TransA);
// op(b) is K×N (b stored K×N, or N×K when TransB); ActA, when not 0, applies that
// activation (a tensor.Activation) to op(a)'s elements as they are read; Accumulate adds
// into out; Batch items (0 means 1) step a, b and out by the strides, in elements, and a
// stride of 0 broadcasts. F16 asks for operands stored in half precision with float32
// sums: matmul's f16 variant where the device has it (Runtime.F16), float32 throughout
// elsewhere.
type MatMulShape struct {
	M, N, K                     int
	TransA, TransB              bool
	ActA                        int
	Accumulate                  bool
	Batch                       int
	StrideA, StrideB, StrideOut int
	F16                         bool
}

// Sizes of the matmul kernels (TILE, BK, SUM_COLS, TR_TILE in matmul.wgsl) and of their
// grids.
const (
	matmulTile      = 64    // output rows and columns per MatMul workgroup
	matmulBK        = 16    // K step of MatMul (BK)
	matmulFill      = 64    // MatMul workgroups that keep a GPU busy: fewer output tiles split K
	matmulMinSlice  = 256   // the least K a split-K slice sums
	sumRowsCols     = 64    // columns per SumRows workgroup
	sumRowsChunk    = 256   // rows per SumRows workgroup, at least
	transposeTile   = 16    // rows and columns per Transpose workgroup
	matmulMaxGroups = 65535 // WebGPU's default maxComputeWorkgroupsPerDimension
)

var (
	matmulForwardKernel   = Kernel{File: "matmul", Entry: "matmul_forward", Bindings: []Access{ReadWrite, Read, Read, Read, Read}}
	matmulBackwardKernel  = Kernel{File: "matmul", Entry: "matmul_backward", Bindings: []Access{ReadWrite, Read, Read, Read, Read, ReadWrite, ReadWrite}}
	matmulAddKernel       = Kernel{File: "matmul", Entry: "matmul_add", Bindings: []Access{ReadWrite, Read, Read, Read, Read, Read}}
	matmulSumRowsKernel   = Kernel{File: "matmul", Entry: "matmul_sumrows", Bindings: []Access{ReadWrite, Read}}
	matmulTransposeKernel = Kernel{File: "matmul", Entry: "matmul_transpose", Bindings: []Access{ReadWrite, Read}}
)

// matmulF16 specialises matmul.wgsl into its f16 variant, whose tiles hold half precision.
var matmulF16 = map[string]string{"MM_STORE": "f16"}

// matmulConsts is the specialisation of a product: the f16 variant when it asks for f16
// operands and the device has f16, else none.
func matmulConsts(f16, deviceF16 bool) map[string]string {
	if f16 && deviceF16 {
		return matmulF16
	}
	return nil
}

// matmulGrid is the workgroup grid for x·y·z groups; it panics past WebGPU's per-axis limit.
func matmulGrid(op string, x, y, z int) [3]uint32 {
	if x > matmulMaxGroups || y > matmulMaxGroups || z > matmulMaxGroups {
		panic(fmt.Sprintf("shaders: %s needs a %d×%d×%d workgroup grid, over %d on an axis", op, x, y, z, matmulMaxGroups))
	}
	return [3]uint32{uint32(x), uint32(y), uint32(z)}
}

// matmulCeil is ⌈a/b⌉ for positive b.
func matmulCeil(a, b int) int { return (a + b - 1) / b }

// MatMul records out = op(a)·op(b) (+ bias when hasBias) (+ out when s.Accumulate).
// out: [Batch, M, N] at stride StrideOut; a, b as MatMulShape says; bias: [N] (any buffer,
// e.g. a dummy, when !hasBias). Batch items of out must not overlap: they run concurrently.
// A single product with few output tiles and a long K (a weight gradient dyᵀ·x over many
// rows) is split along K into slices that run side by side, each writing a partial product
// to pooled scratch; SumRows then adds the partials into out.
func (r *Runtime) MatMul(out, a, b, bias Buf, hasBias bool, s MatMulShape) {
	u, batch, ok := matmulStart("MatMul", s, s.Accumulate, hasBias)
	if !ok {
		return
	}
	consts := matmulConsts(s.F16, r.f16)
	cols, rows := matmulCeil(s.N, matmulTile), matmulCeil(s.M, matmulTile)
	kSplit := matmulSplit(cols*rows, s.K)
	if batch > 1 || kSplit >= s.K {
		r.Dispatch(&matmulForwardKernel, consts, u, matmulGrid("MatMul", cols, rows, batch), out, a, b, bias, b)
		return
	}
	slices, n := matmulCeil(s.K, kSplit), s.M*s.N
	partial := r.Scratch(slices * n)
	defer r.Release(partial)
	u.KSplit, u.Slices, u.StrideOut, u.Accumulate = uint32(kSplit), uint32(slices), uint32(n), 0
	r.Dispatch(&matmulForwardKernel, consts, u, matmulGrid("MatMul", cols, rows, slices), partial, a, b, bias, b)
	r.sumRows(Buf{B: out.B, Off: out.Off, Len: n}, partial, slices, n, s.Accumulate)
}

// matmulStart checks a batched product's output stride (op names it in the panic) and
// returns its uniform for one unsplit pass and its batch count; ok is false for an empty
// output, which records nothing.
func matmulStart(op string, s MatMulShape, accumulate, hasBias bool) (u matmulUniform, batch int, ok bool) {
	batch = max(s.Batch, 1)
	if batch > 1 && s.StrideOut < s.M*s.N {
		panic(fmt.Sprintf("shaders: %s output stride %d overlaps %d×%d outputs", op, s.StrideOut, s.M, s.N))
	}
	u = matmulUniform{
		M: uint32(s.M), N: uint32(s.N), K: uint32(s.K),
		TransA: b32(s.TransA), TransB: b32(s.TransB), Accumulate: b32(accumulate), HasBias: b32(hasBias), ActA: uint32(s.ActA),
		StrideA: uint32(s.StrideA), StrideB: uint32(s.StrideB), StrideOut: uint32(s.StrideOut),
		KSplit: uint32(max(s.K, 1)), Slices: 1,
	}
	return u, batch, s.M > 0 && s.N > 0
}

// matmulUniform matches struct MatMul in matmul.wgsl (64 bytes, as a uniform struct member
// needs). BFromX reads op(b) from the fifth binding (mm_x), which the other products bind
// to b itself.
type matmulUniform struct {
	M, N, K                             uint32
	TransA, TransB, Accumulate, HasBias uint32
	StrideA, StrideB, StrideOut         uint32
	KSplit, Slices                      uint32
	BFromX, ActA, ActB, ActGrad         uint32
}

// matmulSplit returns the length of the K slices for a product of tiles output tiles: K
// itself (no split) when the tiles alone fill the GPU or K is short, else a multiple of BK
// that gives about matmulFill workgroups with at least matmulMinSlice of K each.
func matmulSplit(tiles, k int) int {
	slices := min(matmulCeil(matmulFill, tiles), k/matmulMinSlice)
	if tiles >= matmulFill || slices < 2 {
		return k
	}
	return matmulCeil(matmulCeil(k, slices), matmulBK) * matmulBK
}

// MatMulAdd records out = res + op(a)·op(b) (+ bias when hasBias), batched as MatMul (out
// and res at stride StrideOut; Accumulate is ignored) but without a split of K. out, res:
// [Batch, M, N], not overlapping; a, b as MatMulShape says; bias: [N] (any buffer unless
// hasBias).
func (r *Runtime) MatMulAdd(out, res, a, b, bias Buf, hasBias bool, s MatMulShape) {
	u, batch, ok := matmulStart("MatMulAdd", s, false, hasBias)
	if !ok {
		return
	}
	groups := matmulGrid("MatMulAdd", matmulCeil(s.N, matmulTile), matmulCeil(s.M, matmulTile), batch)
	r.Dispatch(&matmulAddKernel, matmulConsts(s.F16, r.f16), u, groups, out, a, b, bias, b, res)
}

// weightGradSlice is the most rows one workgroup of LinearBackward's weight gradient sums:
// more are split into slices that run side by side, so that no workgroup's loop holds up a
// GPU for long, at the cost of two more dispatches (the sums of the slices).
const weightGradSlice = 2048

// LinearShape describes a linear layer's backward over Rows rows (LinearBackward): Out and
// In are its widths; HasDIn asks for the input gradient, Accumulate adds it into dIn;
// HasDB asks for the bias gradient; Act, when not 0, says that the layer was applied to
// Act(x) (a tensor.Activation), so dW takes Act(x) and dIn is the gradient at x.
type LinearShape struct {
	Rows, Out, In             int
	HasDIn, HasDB, Accumulate bool
	Act                       int
}

// LinearBackward records a linear layer's backward over rows in one dispatch (plus the sums
// of split slices, if any): dIn = (dY·W)·f'(x) (+ dIn when s.Accumulate) when s.HasDIn,
// dW += dYᵀ·f(x) and, when s.HasDB, dB += Σ_r dY[r,:], where f is s.Act or the identity.
// dIn, x: [rows, in]; dW, w: [out, in]; dB: [out]; dY: [rows, out]; dIn and w, and dB, may
// be any buffers when not asked for. The weight gradient is split along its rows as it
// always was, and dIn along K as MatMul would split it where its loop is the dispatch's
// longest by far, their partial sums going to pooled scratch that SumRows then adds up.
func (r *Runtime) LinearBackward(dIn, dW, dB, dY, w, x Buf, s LinearShape) {
	rows, out, in, accumulate := s.Rows, s.Out, s.In, s.Accumulate
	if in == 0 || rows == 0 {
		return
	}
	cols, dxRows, dwRows := matmulCeil(in, matmulTile), 0, matmulCeil(out, matmulTile)
	var u struct{ DX, DW matmulUniform }
	// The weight gradient's workgroups each loop over dwSplit rows.
	dwSlices := matmulCeil(rows, weightGradSlice)
	dwSplit := matmulCeil(matmulCeil(rows, dwSlices), matmulBK) * matmulBK
	dwSlices = matmulCeil(rows, dwSplit)
	// An output not asked for gets a spare buffer: WebGPU refuses one buffer bound writable
	// twice with overlapping ranges, as a shared dummy for both would be.
	dxOut, dxSlices := dIn, 1
	if !s.HasDIn {
		dxOut = r.spare()
		defer r.Release(dxOut)
	}
	if s.HasDIn {
		dxRows = matmulCeil(rows, matmulTile)
		// Split dIn's K as MatMul would, but only when its loop is the dispatch's longest by
		// far (twice the weight gradient's): else the dispatch takes as long either way and
		// the split only adds the sum of the slices.
		kSplit := max(out, 1)
		if out >= 2*dwSplit {
			kSplit = max(matmulSplit(cols*dxRows, out), 1)
		}
		dxSlices = max(matmulCeil(out, kSplit), 1)
		u.DX = matmulUniform{M: uint32(rows), N: uint32(in), K: uint32(out), Accumulate: b32(accumulate),
			KSplit: uint32(kSplit), Slices: uint32(dxSlices), ActGrad: uint32(s.Act)}
		if dxSlices > 1 {
			dxOut = r.Scratch(dxSlices * rows * in)
			defer r.Release(dxOut)
			u.DX.StrideOut, u.DX.Accumulate = uint32(rows*in), 0
		}
	}
	u.DW = matmulUniform{M: uint32(out), N: uint32(in), K: uint32(rows), TransA: 1, HasBias: b32(s.HasDB),
		KSplit: uint32(dwSplit), Slices: uint32(dwSlices), BFromX: 1, ActB: uint32(s.Act)}
	dwOut, dbOut := dW, dB
	if !s.HasDB {
		dbOut = r.spare()
		defer r.Release(dbOut)
	}
	if dwSlices > 1 {
		dwOut, dbOut = r.Scratch(dwSlices*out*in), r.Scratch(dwSlices*out)
		defer r.Release(dwOut)
		defer r.Release(dbOut)
	}
	groups := matmulGrid("LinearBackward", cols, dxRows+dwRows, max(dxSlices, dwSlices))
	r.Dispatch(&matmulBackwardKernel, nil, u, groups, dxOut, dY, w, dY, x, dwOut, dbOut)
	if dxSlices > 1 {
		r.sumRows(Buf{B: dIn.B, Off: dIn.Off, Len: rows * in}, dxOut, dxSlices, rows*in, accumulate)
	}
	if dwSlices > 1 {
		r.SumRows(Buf{B: dW.B, Off: dW.Off, Len: out * in}, dwOut, dwSlices, out*in)
		if s.HasDB {
			r.SumRows(Buf{B: dB.B, Off: dB.Off, Len: out}, dbOut, dwSlices, out)
		}
	}
}

// SumRows records out[c] += Σ_r in[r,c]. out: [cols]; in: [rows, cols]. Inputs longer than
// one chunk of rows are first reduced chunk-wise into a pooled scratch of chunk sums, which
// is then summed into out the same way, so every workgroup loops over a bounded number of
// rows whatever rows is.
func (r *Runtime) SumRows(out, in Buf, rows, cols int) { r.sumRows(out, in, rows, cols, true) }

// sumRows is SumRows, overwriting out unless accumulate (a split product's sum needs no
// fill of its output first).
func (r *Runtime) sumRows(out, in Buf, rows, cols int, accumulate bool) {
	if rows == 0 || cols == 0 {
		return
	}
	// Keep the chunk count within one grid axis for very long inputs.
	chunk := max(sumRowsChunk, matmulCeil(rows, matmulMaxGroups))
	chunks := matmulCeil(rows, chunk)
	dst, add := out, accumulate
	if chunks > 1 {
		dst, add = r.Scratch(chunks*cols), false
		defer r.Release(dst)
	}
	u := struct{ Rows, Cols, Chunk, Accumulate uint32 }{uint32(rows), uint32(cols), uint32(chunk), b32(add)}
	r.Dispatch(&matmulSumRowsKernel, nil, u, matmulGrid("SumRows", matmulCeil(cols, sumRowsCols), chunks, 1), dst, in)
	if chunks > 1 {
		r.sumRows(out, dst, chunks, cols, accumulate)
	}
}

// Transpose records out[b,c,r] = in[b,r,c]. in: [batch, rows, cols]; out: [batch, cols, rows].
func (r *Runtime) Transpose(out, in Buf, batch, rows, cols int) {
	if batch == 0 || rows == 0 || cols == 0 {
		return
	}
	u := struct{ Rows, Cols uint32 }{uint32(rows), uint32(cols)}
	groups := matmulGrid("Transpose", matmulCeil(cols, transposeTile), matmulCeil(rows, transposeTile), batch)
	r.Dispatch(&matmulTransposeKernel, nil, u, groups, out, in)
}
