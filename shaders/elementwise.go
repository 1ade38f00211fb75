package shaders

// elementwiseWG is the workgroup size of every elementwise kernel (WG in the WGSL).
const elementwiseWG = 256

var (
	elementwiseFillKernel         = Kernel{File: "elementwise", Entry: "elementwise_fill", Bindings: []Access{ReadWrite}}
	elementwiseAxpbyKernel        = Kernel{File: "elementwise", Entry: "elementwise_axpby", Bindings: []Access{ReadWrite, Read}}
	elementwiseRowAxpbyKernel     = Kernel{File: "elementwise", Entry: "elementwise_rowaxpby", Bindings: []Access{ReadWrite, Read, Read, Read}}
	elementwiseCopy2DKernel       = Kernel{File: "elementwise", Entry: "elementwise_copy2d", Bindings: []Access{ReadWrite, Read}}
	elementwiseAddBroadcastKernel = Kernel{File: "elementwise", Entry: "elementwise_addbroadcast", Bindings: []Access{ReadWrite, Read}}
)

// FillConst sets every element of out to value.
func (r *Runtime) FillConst(out Buf, value float32) {
	u := struct {
		N     uint32
		Value float32
	}{uint32(out.Len), value}
	r.Dispatch(&elementwiseFillKernel, nil, u, Groups1D(out.Len, elementwiseWG), out)
}

// Axpby computes y ← alpha·x + beta·y over y.Len elements.
func (r *Runtime) Axpby(y, x Buf, alpha, beta float32) {
	u := struct {
		N           uint32
		Alpha, Beta float32
	}{uint32(y.Len), alpha, beta}
	r.Dispatch(&elementwiseAxpbyKernel, nil, u, Groups1D(y.Len, elementwiseWG), y, x)
}

// RowAxpby computes y[r,:] ← alpha[r]·x[r,:] + beta[r]·y[r,:].
func (r *Runtime) RowAxpby(y, x, alpha, beta Buf, rows, cols int) {
	u := struct{ Rows, Cols uint32 }{uint32(rows), uint32(cols)}
	r.Dispatch(&elementwiseRowAxpbyKernel, nil, u, Groups1D(rows*cols, elementwiseWG), y, x, alpha, beta)
}

// Copy2D copies (or adds, when accumulate) a strided rows×cols block from src to dst.
func (r *Runtime) Copy2D(dst, src Buf, rows, cols, dstOff, dstStride, srcOff, srcStride int, accumulate bool) {
	u := struct {
		Rows, Cols, DstOff, DstStride, SrcOff, SrcStride, Accumulate uint32
	}{uint32(rows), uint32(cols), uint32(dstOff), uint32(dstStride), uint32(srcOff), uint32(srcStride), b32(accumulate)}
	r.Dispatch(&elementwiseCopy2DKernel, nil, u, Groups1D(rows*cols, elementwiseWG), dst, src)
}

// AddBroadcast adds x: [n] to every item of y: [batch, n].
func (r *Runtime) AddBroadcast(y, x Buf, batch, n int) {
	u := struct{ Batch, N uint32 }{uint32(batch), uint32(n)}
	r.Dispatch(&elementwiseAddBroadcastKernel, nil, u, Groups1D(batch*n, elementwiseWG), y, x)
}

// b32 encodes a flag for a WGSL uniform.
func b32(v bool) uint32 {
	if v {
		return 1
	}
	return 0
}
