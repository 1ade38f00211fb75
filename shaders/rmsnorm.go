package shaders

import "math/bits"

// rmsnormWG is the workgroup size of the rmsnorm kernels (WG in the WGSL).
const rmsnormWG = 256

// dgainOneChunk is the most rows the gain gradient sums in one pass, one workgroup per
// column strip: a second dispatch costs the host more than the few hundred rows per lane
// that a model's rows (up to 32·192) take there.
const dgainOneChunk = 8192

// dgainIters is how many rows each lane of a gain workgroup of rmsnorm_backward sums per
// chunk at least past dgainOneChunk: enough work per invocation, while still giving large
// row counts many workgroups.
const dgainIters = 16

// dgainMaxChunks bounds the chunks of the gain gradient's first pass, so the second pass
// (one chunk of that many rows) stays short.
const dgainMaxChunks = 256

var (
	rmsnormForwardKernel       = Kernel{File: "rmsnorm", Entry: "rmsnorm_forward", Bindings: []Access{ReadWrite, ReadWrite, Read, Read, Read}}
	rmsnormBackwardKernel      = Kernel{File: "rmsnorm", Entry: "rmsnorm_backward", Bindings: []Access{ReadWrite, Read, Read, Read, Read, Read, ReadWrite, Read}}
	rmsnormBackwardDGainKernel = Kernel{File: "rmsnorm", Entry: "rmsnorm_backward_dgain", Bindings: []Access{ReadWrite, Read}}
)

// rmsnormRows is the uniform of rmsnorm_forward and rmsnorm_backward. RowGroups is how many
// workgroups the rows take; the fields after it lay out the gain gradient's workgroups,
// which follow the row ones in rmsnorm_backward's grid: Strips × Chunks of them, each
// summing Strip columns over ChunkRows rows (Chunks is 0 without a gain gradient).
type rmsnormRows struct {
	Rows, Cols, Lanes, HasGain               uint32
	Eps                                      float32
	HasRes, RowGroups                        uint32
	Strip, Strips, ChunkRows, Chunks         uint32
	HasMod, Tokens, ModM, ShiftOff, ScaleOff uint32
}

// Modulation is adaLN's shift and scale after a norm without gain (NormModulate): row r
// belongs to batch item r / Tokens, whose row of mod: [batch, M] holds the shift and scale
// chunks at ShiftOff and ScaleOff.
type Modulation struct{ Tokens, M, ShiftOff, ScaleOff int }

// set records m in u.
func (m Modulation) set(u *rmsnormRows) {
	u.HasMod, u.Tokens, u.ModM, u.ShiftOff, u.ScaleOff = 1, uint32(m.Tokens), uint32(m.M), uint32(m.ShiftOff), uint32(m.ScaleOff)
}

// NormBackward says which of RMSNormBackward's optional buffers are there: the gain, its
// gradient and the residual gradient.
type NormBackward struct{ HasGain, HasDGain, HasRes bool }

// rmsnormColSum is the uniform of rmsnorm_backward_dgain: Rows (the chunks) × Cols partials,
// Strip columns per workgroup.
type rmsnormColSum struct{ Rows, Cols, Strip uint32 }

// pow2AtLeast is the smallest power of two ≥ n (1 for n ≤ 1).
func pow2AtLeast(n int) int {
	if n <= 1 {
		return 1
	}
	return 1 << bits.Len(uint(n-1))
}

// rowsUniform lays out the row kernels: the row length rounded up to a power of two
// threads per row, capped at the workgroup, so short rows (QK-norm's 32) pack several to
// a workgroup.
func rowsUniform(rows, cols int, hasGain bool, eps float32) rmsnormRows {
	lanes := min(rmsnormWG, pow2AtLeast(cols))
	perGroup := rmsnormWG / lanes
	return rmsnormRows{Rows: uint32(rows), Cols: uint32(cols), Lanes: uint32(lanes), HasGain: b32(hasGain), Eps: eps,
		RowGroups: uint32((rows + perGroup - 1) / perGroup)}
}

// RMSNorm computes out[r,:] = in[r,:]·rstd[r]·gain and rstd[r] = 1/sqrt(mean(in[r,:]²) + eps).
// out, in: [rows, cols]; rstd: [rows]; gain: [cols], ignored (any buffer) unless hasGain.
func (r *Runtime) RMSNorm(out, rstd, in, gain Buf, hasGain bool, rows, cols int, eps float32) {
	u := rowsUniform(rows, cols, hasGain, eps)
	r.Dispatch(&rmsnormForwardKernel, nil, u, Groups1D(int(u.RowGroups), 1), out, rstd, in, gain, gain)
}

// NormModulate computes out[r,:] = in[r,:]·rstd[r]·(1 + scale) + shift, with the shift and
// scale of row r's batch item (m), and rstd[r] = 1/sqrt(mean(in[r,:]²) + eps).
// out, in: [rows, cols]; rstd: [rows]; mod: [rows / m.Tokens, m.M].
func (r *Runtime) NormModulate(out, rstd, in, mod Buf, m Modulation, rows, cols int, eps float32) {
	u := rowsUniform(rows, cols, false, eps)
	m.set(&u)
	r.Dispatch(&rmsnormForwardKernel, nil, u, Groups1D(int(u.RowGroups), 1), out, rstd, in, mod, mod)
}

// NormModulateBackward overwrites dIn: [rows, cols] with the gradient at NormModulate's in
// (plus dRes: [rows, cols] when hasRes) and the shift and scale chunks of dMod:
// [rows / m.Tokens, m.M] with Σ_t dOut and Σ_t dOut·in·rstd over each batch item's rows,
// in one dispatch: the row workgroups scale dOut by 1 + scale, and one gain workgroup per
// batch item and strip of columns sums.
func (r *Runtime) NormModulateBackward(dIn, dMod, dOut, dRes, in, mod, rstd Buf, hasRes bool, m Modulation, rows, cols int) {
	u := rowsUniform(rows, cols, false, 0)
	u.HasRes = b32(hasRes)
	m.set(&u)
	if rows == 0 || cols == 0 {
		return
	}
	strip := min(32, pow2AtLeast(cols))
	strips, items := (cols+strip-1)/strip, rows/max(m.Tokens, 1)
	u.Strip, u.Strips, u.ChunkRows, u.Chunks = uint32(strip), uint32(strips), uint32(m.Tokens), uint32(items)
	groups := Groups1D(int(u.RowGroups)+strips*items, 1)
	r.Dispatch(&rmsnormBackwardKernel, nil, u, groups, dIn, dOut, in, mod, rstd, dRes, dMod, mod)
}

// RMSNormBackward overwrites dIn: [rows, cols] from dOut, in: [rows, cols], gain: [cols]
// (ignored unless o.HasGain) and the forward's rstd: [rows], plus dRes: [rows, cols] when
// o.HasRes; when o.HasDGain it adds the gain gradient Σ_r dOut·in·rstd into dGain: [cols].
// The gain gradient does not depend on dIn, so the same dispatch sums it in extra
// workgroups. Large row counts take a second pass: those workgroups write partial sums per
// chunk of rows into a pooled scratch buffer, then one sum over the chunks, so that
// QK-norm's 24576 rows × 32 columns spread over many workgroups.
func (r *Runtime) RMSNormBackward(dIn, dGain, dOut, dRes, in, gain, rstd Buf, o NormBackward, rows, cols int) {
	u := rowsUniform(rows, cols, o.HasGain, 0)
	u.HasRes = b32(o.HasRes)
	if !o.HasDGain || rows == 0 || cols == 0 {
		// No gain workgroups (Chunks 0), so the kernel never touches dGain's binding; a
		// spare buffer stands in there, as WebGPU refuses a buffer bound writable twice, or
		// writable and read-only, with overlapping ranges in one dispatch.
		spare := r.spare()
		defer r.Release(spare)
		r.Dispatch(&rmsnormBackwardKernel, nil, u, Groups1D(int(u.RowGroups), 1), dIn, dOut, in, gain, rstd, dRes, spare, gain)
		return
	}
	// A strip of up to 32 adjacent columns keeps the loads coalesced; the rest of the
	// workgroup are row lanes.
	strip := min(32, pow2AtLeast(cols))
	lanes := rmsnormWG / strip
	chunkRows := max(dgainIters*lanes, (rows+dgainMaxChunks-1)/dgainMaxChunks)
	if rows <= dgainOneChunk {
		chunkRows = rows
	}
	chunks := (rows + chunkRows - 1) / chunkRows
	strips := (cols + strip - 1) / strip
	u.Strip, u.Strips, u.ChunkRows, u.Chunks = uint32(strip), uint32(strips), uint32(chunkRows), uint32(chunks)
	groups := Groups1D(int(u.RowGroups)+strips*chunks, 1)
	if chunks == 1 {
		r.Dispatch(&rmsnormBackwardKernel, nil, u, groups, dIn, dOut, in, gain, rstd, dRes, dGain, gain)
		return
	}
	scratch := r.Scratch(chunks * cols)
	defer r.Release(scratch)
	r.Dispatch(&rmsnormBackwardKernel, nil, u, groups, dIn, dOut, in, gain, rstd, dRes, scratch, gain)
	sum := rmsnormColSum{Rows: uint32(chunks), Cols: uint32(cols), Strip: uint32(strip)}
	r.Dispatch(&rmsnormBackwardDGainKernel, nil, sum, [3]uint32{uint32(strips), 1, 1}, dGain, scratch)
}
