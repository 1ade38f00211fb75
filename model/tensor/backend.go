package tensor

// DeviceInfo describes where a backend runs, for status lines and selftest rows.
type DeviceInfo struct {
	Backend string // "cpu" or "webgpu"
	Adapter string // adapter or CPU name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
	Type    string // adapter type: "cpu", "discrete-gpu", "integrated-gpu", …
	API     string // graphics API under WebGPU: "vulkan", "metal", "browser", …
	F16     bool   // products that ask for f16 operands (MatMulDims.F16) round them to float16 here
}

// MemoryStats counts the live storage a backend holds (created and not yet destroyed).
type MemoryStats struct {
	Buffers int   // live buffers, pooled ones included
	Bytes   int64 // their total size
}

// Backend is the op-level compute interface. Work may be queued: on device backends ops are
// recorded and only run at Flush or Download, so a whole training step becomes one
// submission. Ops never return errors; a device failure surfaces at Flush or Download.
type Backend interface {
	Ops

	// Info says where the backend runs.
	Info() DeviceInfo
	// Align is the element alignment that View offsets must respect.
	Align() int
	// New allocates a zero-filled tensor.
	New(shape ...int) *Tensor
	// View returns a tensor sharing t's storage from element offset on (a multiple of Align).
	View(t *Tensor, offset int, shape ...int) *Tensor
	// Upload copies src (len = dst.Len()) into dst.
	Upload(dst *Tensor, src []float32)
	// Download runs all queued work and returns a copy of src's elements.
	Download(src *Tensor) ([]float32, error)
	// Free returns t's storage to the backend's pool; t must not be used afterwards.
	// Views are not freed on their own.
	Free(t *Tensor)
	// Flush submits all queued work and waits for nothing.
	Flush() error
	// Memory reports live storage, for leak tests.
	Memory() MemoryStats
	// Close releases everything the backend holds.
	Close()
}

// Activation names an elementwise nonlinearity.
type Activation int

// The activations: Act takes SiLU or GELU; Identity is the zero value of the fields that
// apply one optionally (MatMulDims.ActA, LinearDims.Act).
const (
	Identity Activation = iota // x, no activation
	SiLU                       // x·sigmoid(x)
	GELU                       // tanh approximation, as in GPT-2
)

// Distribution names what Rand draws.
type Distribution int

// The distributions Rand supports.
const (
	Normal  Distribution = iota // N(0, 1), Box–Muller over Philox4x32-10
	Uniform                     // U[0, 1)
)

// MatMulDims describes out = op(a)·op(b) (+ bias), batched.
// op(a) is M×K (a is stored M×K, or K×M when TransA); op(b) is K×N (b is stored K×N, or N×K
// when TransB). The three training layouts are X·Wᵀ (TransB), dY·W (none) and dYᵀ·X (TransA).
type MatMulDims struct {
	M, N, K        int
	TransA, TransB bool
	// ActA applies an activation to op(a)'s elements as the product reads them: out =
	// ActA(op(a))·op(b), a layer applied to f(x) without f(x) in memory. Identity for none.
	ActA Activation
	// Accumulate adds the product into out instead of overwriting it.
	Accumulate bool
	// Batch runs Batch independent products; the strides (in elements) step a, b and out
	// between them. A stride of 0 broadcasts. Batch 0 means 1.
	Batch                       int
	StrideA, StrideB, StrideOut int
	// F16 asks for op(a) and op(b) in float16 (rounded to nearest) with sums in float32 or
	// wider, which halves the operands' memory traffic on a GPU with shader-f16. The CPU
	// backend rounds them (the reference of the f16 cases); WebGPU stores them in half
	// precision where the device has f16 (DeviceInfo.F16) and keeps float32 elsewhere.
	F16 bool
}

// LinearDims describes a linear layer's backward (Ops.LinearBackward): Rows rows of In
// inputs and Out outputs; Accumulate adds the input gradient into dIn; Act says that the
// layer was applied to Act(x) rather than x (Identity for none).
type LinearDims struct {
	Rows, Out, In int
	Accumulate    bool
	Act           Activation
}

// Ops lists every primitive op. Shapes are given in brackets; all tensors are row-major.
// Input and output tensors of one call must not overlap unless an op says it works in place.
type Ops interface {
	// Fill sets every element of out to value.
	Fill(out *Tensor, value float32)
	// Axpby computes y ← alpha·x + beta·y elementwise (in place on y). x, y: [n].
	Axpby(y, x *Tensor, alpha, beta float32)
	// RowAxpby computes y[r,:] ← alpha[r]·x[r,:] + beta[r]·y[r,:] (in place on y).
	// y, x: [rows, cols]; alpha, beta: [rows].
	RowAxpby(y, x, alpha, beta *Tensor, rows, cols int)
	// Copy2D copies a rows×cols block: dst[dstOff + r·dstStride + c] (+)= src[srcOff +
	// r·srcStride + c]. It concatenates and splits token segments; Accumulate adds.
	Copy2D(dst, src *Tensor, rows, cols, dstOff, dstStride, srcOff, srcStride int, accumulate bool)
	// AddBroadcast adds x to every batch item of y in place. y: [batch, n]; x: [n].
	AddBroadcast(y, x *Tensor, batch, n int)

	// MatMul computes out = op(a)·op(b) + bias (see MatMulDims). bias: [N] or nil, added to
	// every row. out: [Batch, M, N]; a, b as MatMulDims says.
	MatMul(out, a, b, bias *Tensor, d MatMulDims)
	// MatMulAdd computes out = res + op(a)·op(b) + bias, a residual branch's output
	// projection and the residual sum that always follow each other. out, res: [Batch, M, N],
	// not overlapping; a, b and the batch as MatMulDims says (Accumulate is ignored);
	// bias: [N] or nil.
	MatMulAdd(out, res, a, b, bias *Tensor, d MatMulDims)
	// LinearBackward is a linear layer's whole backward, the products that always go
	// together, for a layer applied to f(x) with f = d.Act (or the identity): dIn =
	// (dY·W)·f'(x) (+ dIn when d.Accumulate) unless dIn is nil, dW += dYᵀ·f(x) and, when dB
	// is not nil, dB += Σ_r dY[r,:]. dIn, x: [Rows, In]; dW, w: [Out, In]; dB: [Out] or
	// nil; dY: [Rows, Out].
	LinearBackward(dIn, dW, dB, dY, w, x *Tensor, d LinearDims)
	// SumRows adds the column sums of in to out: out[c] += Σ_r in[r,c]. out: [cols];
	// in: [rows, cols]. Used for bias gradients and broadcast backward.
	SumRows(out, in *Tensor, rows, cols int)
	// Transpose swaps the last two axes: out[b,c,r] = in[b,r,c]. in: [batch, rows, cols];
	// out: [batch, cols, rows]. Its backward is Transpose with rows and cols swapped.
	Transpose(out, in *Tensor, batch, rows, cols int)

	// Act applies an activation: out = f(in). out, in: [n].
	Act(out, in *Tensor, n int, f Activation)
	// ActBackward computes dIn = f'(in)·dOut. dIn, dOut, in: [n].
	ActBackward(dIn, dOut, in *Tensor, n int, f Activation)
	// SwiGLU computes out[r,j] = silu(in[r,j])·in[r,F+j]. out: [rows, F]; in: [rows, 2F].
	SwiGLU(out, in *Tensor, rows, f int)
	// SwiGLUBackward computes dIn: [rows, 2F] from dOut: [rows, F] and in: [rows, 2F].
	SwiGLUBackward(dIn, dOut, in *Tensor, rows, f int)

	// RMSNorm computes out[r,:] = in[r,:]·rstd[r]·gain and stores rstd[r] = 1/sqrt(mean(in[r,:]²)
	// + eps). out, in: [rows, cols]; rstd: [rows]; gain: [cols] or nil (no gain). QK-norm is
	// RMSNorm over rows = tokens·heads, cols = head dim.
	RMSNorm(out, rstd, in, gain *Tensor, rows, cols int, eps float32)
	// RMSNormBackward computes dIn: [rows, cols] and adds into dGain: [cols] (nil when gain is
	// nil) from dOut, in: [rows, cols], gain and the forward's rstd: [rows]. dRes: [rows, cols],
	// when not nil, is added to dIn: the gradient that a pre-norm's residual stream carries
	// past the norm, summed where the stream forks.
	RMSNormBackward(dIn, dGain, dOut, dRes, in, gain, rstd *Tensor, rows, cols int)
	// Spherify projects each row onto the sphere of radius sqrt(cols): out = in / rms(in).
	// out, in: [rows, cols]; rstd: [rows] keeps 1/rms for the backward.
	Spherify(out, rstd, in *Tensor, rows, cols int)
	// SpherifyBackward computes dIn: [rows, cols] from dOut, in and rstd.
	SpherifyBackward(dIn, dOut, in, rstd *Tensor, rows, cols int)

	// RoPE2D rotates pairs (2i, 2i+1) of every head vector by the token's grid position: the
	// first half of the head dim by the row, the second half by the column, with frequencies
	// base^(-2i/(dh/2)). Token t sits at grid cell t mod (gridH·gridW), so segments that repeat
	// the grid share positions. Inverse rotates backwards (the backward pass).
	// out, in: [batch, tokens, heads, dh]; dh a multiple of 4.
	RoPE2D(out, in *Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32, inverse bool)
	// QKNormRoPE prepares attention's inputs from a packed projection qkv: [batch·tokens,
	// 3·heads·dh], rows q ‖ k ‖ v, the QK-norm and RoPE2D that always go together: every q
	// and k head vector normalised by its RMS (RMSNorm over dh columns, epsilon eps) times its
	// gain gq or gk: [dh] and rotated as RoPE2D does; v copied. qkvh: [3, batch, tokens,
	// heads, dh] holds q, k and v head-split; rstd: [2, batch·tokens·heads] keeps the norms'
	// 1/rms for the backward.
	QKNormRoPE(qkvh, rstd, qkv, gq, gk *Tensor, batch, tokens, heads, dh, gridH, gridW int, base, eps float32)
	// QKNormRoPEBackward computes dqkv: [batch·tokens, 3·heads·dh] from dqkvh: [3, batch,
	// tokens, heads, dh] and the forward's qkv, gq, gk and rstd, and adds the gains'
	// gradients into dgq, dgk: [dh].
	QKNormRoPEBackward(dqkv, dgq, dgk, dqkvh, qkv, gq, gk, rstd *Tensor, batch, tokens, heads, dh, gridH, gridW int, base float32)
	// Attention is full (non-causal) softmax attention with online softmax.
	// out, q, k, v: [batch, tokens, heads, dh]; lse: [batch, heads, tokens] keeps the
	// log-sum-exp of each query's scaled logits for the backward.
	Attention(out, lse, q, k, v *Tensor, batch, tokens, heads, dh int, scale float32)
	// AttentionBackward computes dq, dk, dv: [batch, tokens, heads, dh] from dOut and the
	// forward's q, k, v, out and lse. delta: [batch, heads, tokens] is scratch.
	AttentionBackward(dq, dk, dv, delta, dOut, q, k, v, out, lse *Tensor, batch, tokens, heads, dh int, scale float32)

	// NormModulate is adaLN's pre-norm, RMSNorm without gain then the batch item's shift and
	// scale, which always go together: out[b,t,:] = n·(1 + mod[b,scaleOff:]) +
	// mod[b,shiftOff:] with n = in[b,t,:]·rstd and rstd = 1/sqrt(mean(in[b,t,:]²) + eps),
	// stored. out, in: [batch, tokens, c]; rstd: [batch·tokens]; mod: [batch, m] (m ≥ the
	// chunks used).
	NormModulate(out, rstd, in, mod *Tensor, batch, tokens, c, m, shiftOff, scaleOff int, eps float32)
	// NormModulateBackward computes dIn: [batch, tokens, c] from dOut and the forward's in,
	// mod and rstd, plus dRes when it is not nil (a residual gradient), and overwrites the
	// shift and scale chunks of dMod: [batch, m] with Σ_t dOut and Σ_t dOut·n.
	NormModulateBackward(dIn, dMod, dOut, dRes, in, mod, rstd *Tensor, batch, tokens, c, m, shiftOff, scaleOff int)
	// GateResidual adds a gated branch to the stream it branches from:
	// out[b,t,c] = x[b,t,c] + mod[b,gateOff+c]·y[b,t,c]; out does not overlap x or y.
	// out, x, y: [batch, tokens, c]; mod: [batch, m].
	GateResidual(out, x, y, mod *Tensor, batch, tokens, c, m, gateOff int)
	// GateResidualBackward computes dY = gate·dX and overwrites the gate chunk of dMod with
	// Σ_t dX·y. dX passes through to the residual input unchanged.
	GateResidualBackward(dY, dMod, dX, y, mod *Tensor, batch, tokens, c, m, gateOff int)

	// Patchify cuts images into patch tokens: out[b, py·(w/p)+px, ch·p·p + ky·p + kx] =
	// img[b, ch, py·p+ky, px·p+kx]. img: [batch, ch, h, w]; out: [batch, (h/p)·(w/p), ch·p·p].
	Patchify(out, img *Tensor, batch, ch, h, w, p int)
	// Unpatchify is the inverse permutation of Patchify (and its backward).
	Unpatchify(img, tokens *Tensor, batch, ch, h, w, p int)

	// SmoothL1 is the Huber loss with the given beta: loss[r] = Σ_c huber(pred−target)
	// and dPred = gradScale·huber'(pred−target). loss: [rows]; dPred, pred, target: [rows, cols].
	SmoothL1(loss, dPred, pred, target *Tensor, rows, cols int, beta, gradScale float32)
	// MSE is loss[r] = weight[r]·Σ_c (pred−target)² and dPred = gradScale·2·weight[r]·(pred−target).
	// weight: [rows] or nil (all ones).
	MSE(loss, dPred, pred, target, weight *Tensor, rows, cols int, gradScale float32)
	// Cosine is loss[r] = 1 − cos(a[r,:], b[r,:]), with dA = gradScale·∂loss/∂a and dB likewise
	// (dB may be nil when b is a constant). loss: [rows]; dA, dB, a, b: [rows, cols].
	Cosine(loss, dA, dB, a, b *Tensor, rows, cols int, gradScale float32)

	// GradClip computes the global norm of g: [n] and writes scale: [2] = {min(1, maxNorm/norm),
	// 1 if the norm is finite else 0}, for AdamW to read.
	GradClip(scale, g *Tensor, n int, maxNorm float32)
	// AdamW updates p with decoupled weight decay: p ← p − lr·(m̂/(sqrt(v̂)+eps) + wd·p), the
	// gradient first multiplied by scale[0]; when scale[1] is 0 (a non-finite gradient) nothing
	// changes. p, g, m, v: [n]; scale: [2] or nil; step counts from 1.
	AdamW(p, g, m, v, scale *Tensor, n int, lr, beta1, beta2, eps, wd float32, step int)
	// MuonMomentum is Muon's Nesterov momentum: with ĝ = scale[0]·g, buf ← mu·buf + ĝ and
	// u ← ĝ + mu·buf (the updated buf), the update that Newton–Schulz then orthogonalises;
	// when scale[1] is 0 nothing changes. u, buf, g: [n]; scale: [2].
	MuonMomentum(u, buf, g, scale *Tensor, n int, mu float32)
	// MuonApply is Muon's parameter step p ← p − lr·o − decay·p (o the orthogonalised update,
	// decay = learning rate × weight decay); when scale[1] is 0 nothing changes.
	// p, o: [n]; scale: [2].
	MuonApply(p, o, scale *Tensor, n int, lr, decay float32)
	// Rand fills out: [n] with draws from the Philox4x32-10 stream (seed, counter): element i
	// depends only on (seed, counter, i), so both backends give the same numbers.
	Rand(out *Tensor, n int, seed, counter uint64, d Distribution)
}
