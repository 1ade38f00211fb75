package train

import (
	"math"
	"strings"

	"flowsphere/model/nn"
	"flowsphere/model/tensor"
)

// Newton–Schulz: nsSteps iterations of X ← a·X + (b·A + c·A²)·X with A = X·Xᵀ, the
// quintic of Muon's reference implementation, which drives every singular value of a
// matrix of spectral norm at most 1 into about [0.7, 1.2] in five steps.
const (
	nsSteps       = 5
	nsA, nsB, nsC = 3.4445, -4.7750, 2.0315
)

// muonExcluded are the parts of parameter names that Muon leaves to AdamW: the input
// embeddings (patches, latent tokens, decoder tokens) and the output heads, as in Muon's
// reference recipe, where only hidden layers' matrices are orthogonalised.
var muonExcluded = []string{".embed.", ".head.", "refiner.latent.", "refiner.decoder.", "refiner.image.", "refiner.out."}

// MuonParam reports whether Muon updates p: a 2-D weight matrix of a hidden layer.
func MuonParam(p *nn.Param) bool {
	if len(p.Shape) != 2 {
		return false
	}
	for _, part := range muonExcluded {
		if strings.Contains(p.Name, part) {
			return false
		}
	}
	return true
}

// muonMatrix is one parameter Muon updates, with its momentum's view of the first-moment
// arena and its views of the shared scratch, each exactly its size: an op over a whole
// scratch buffer would carry stale values of a larger matrix from step to step.
type muonMatrix struct {
	p          *nn.Param
	rows, cols int
	mom        *tensor.Tensor // [rows·cols]
	ns         nsScratch
}

// nsScratch is one Newton–Schulz run's buffers for a rows×cols matrix, s = min(rows, cols).
type nsScratch struct {
	u, x, y *tensor.Tensor // momentum update, the iterate and its successor: [rows·cols]
	a, aa   *tensor.Tensor // Gram matrix A and b·A + c·A²: [s·s]
	rstd    *tensor.Tensor // spherify's 1/rms: [1]
}

// adamSpan is the run [off, off+n) of the arenas that AdamW updates: views of values,
// gradients and the two moments, each [n].
type adamSpan struct {
	off, n     int
	p, g, m, v *tensor.Tensor
}

// muon is the Muon optimiser's state beyond the arenas: the matrices it updates, the arena
// runs AdamW updates, and the scratch of Newton–Schulz. Its momentum lives in the trainer's
// first-moment arena, in the slots AdamW would use for the same parameters, so checkpoints
// hold it without a format change. Views are made once, so device backends see the same
// tensors every step.
type muon struct {
	matrices []muonMatrix
	adam     []adamSpan
	scratch  nsScratch // sized for the largest matrix; each matrix has views of it
}

// newMuon sorts ps's parameters between Muon and AdamW and allocates the scratch. m, v: the
// trainer's moment arenas, shaped like ps.Values.
func newMuon(b tensor.Backend, ps *nn.ParamSet, m, v *tensor.Tensor) *muon {
	mu := &muon{}
	largest, side := 1, 1
	addSpan := func(off, n int) {
		if n > 0 {
			mu.adam = append(mu.adam, adamSpan{off, n, b.View(ps.Values, off, n), b.View(ps.Grads, off, n), b.View(m, off, n), b.View(v, off, n)})
		}
	}
	end := 0 // end of the AdamW run being grown
	for _, p := range ps.List {
		if !MuonParam(p) {
			continue
		}
		n := tensor.Numel(p.Shape)
		mu.matrices = append(mu.matrices, muonMatrix{p: p, rows: p.Shape[0], cols: p.Shape[1], mom: b.View(m, p.Offset(), n)})
		addSpan(end, p.Offset()-end)
		end = p.Offset() + n
		largest = max(largest, n)
		side = max(side, min(p.Shape[0], p.Shape[1]))
	}
	addSpan(end, ps.Size-end)
	sc := &mu.scratch
	sc.u, sc.x, sc.y = b.New(largest), b.New(largest), b.New(largest)
	sc.a, sc.aa, sc.rstd = b.New(side*side), b.New(side*side), b.New(1)
	for i := range mu.matrices {
		mm := &mu.matrices[i]
		mm.ns = sc.views(b, mm.rows, mm.cols)
	}
	return mu
}

// views returns views of sc sized for a rows×cols matrix.
func (sc *nsScratch) views(b tensor.Backend, rows, cols int) nsScratch {
	n, s := rows*cols, min(rows, cols)
	return nsScratch{
		u: b.View(sc.u, 0, n), x: b.View(sc.x, 0, n), y: b.View(sc.y, 0, n),
		a: b.View(sc.a, 0, s*s), aa: b.View(sc.aa, 0, s*s), rstd: sc.rstd,
	}
}

// free releases the scratch.
func (mu *muon) free(b tensor.Backend) {
	sc := &mu.scratch
	for _, t := range []*tensor.Tensor{sc.u, sc.x, sc.y, sc.a, sc.aa, sc.rstd} {
		b.Free(t)
	}
}

// step takes one Muon step on every matrix: Nesterov momentum, Newton–Schulz
// orthogonalisation of the update, then p ← p − lr·adj·O − lr·wd·p with
// adj = sqrt(max(1, rows/cols)) (the shape adjustment of PyTorch's Muon). scale: GradClip's
// [2]; lr is Muon's learning rate.
func (mu *muon) step(b tensor.Backend, scale *tensor.Tensor, lr, momentum, wd float64) {
	for _, mm := range mu.matrices {
		n := mm.rows * mm.cols
		b.MuonMomentum(mm.ns.u, mm.mom, mm.p.Grad, scale, n, float32(momentum))
		x := mm.ns.orthogonalise(b, mm.rows, mm.cols)
		adj := math.Sqrt(max(1, float64(mm.rows)/float64(mm.cols)))
		b.MuonApply(mm.p.Value, x, scale, n, float32(lr*adj), float32(lr*wd))
	}
}

// orthogonalise runs Newton–Schulz on the rows×cols update in ns.u and returns the tensor
// holding the result (ns.x or ns.y). Wide matrices use A = X·Xᵀ and X ← a·X + B·X, tall
// ones A = XᵀX and X ← a·X + X·B, so A is always the smaller side squared.
func (ns *nsScratch) orthogonalise(b tensor.Backend, rows, cols int) *tensor.Tensor {
	n := rows * cols
	// X₀ = U/‖U‖_F: spherify gives U·sqrt(n)/‖U‖, and its Frobenius norm is sqrt(n).
	b.Spherify(ns.y, ns.rstd, ns.u, 1, n)
	b.Axpby(ns.x, ns.y, float32(1/math.Sqrt(float64(n))), 0)
	x, y := ns.x, ns.y
	wide := rows <= cols
	s := min(rows, cols)
	for range nsSteps {
		if wide {
			b.MatMul(ns.a, x, x, nil, tensor.MatMulDims{M: s, N: s, K: cols, TransB: true})
		} else {
			b.MatMul(ns.a, x, x, nil, tensor.MatMulDims{M: s, N: s, K: rows, TransA: true})
		}
		b.MatMul(ns.aa, ns.a, ns.a, nil, tensor.MatMulDims{M: s, N: s, K: s})
		b.Axpby(ns.aa, ns.a, nsB, nsC)
		if wide {
			b.MatMul(y, ns.aa, x, nil, tensor.MatMulDims{M: rows, N: cols, K: rows})
		} else {
			b.MatMul(y, x, ns.aa, nil, tensor.MatMulDims{M: rows, N: cols, K: cols})
		}
		b.Axpby(y, x, nsA, 1)
		x, y = y, x
	}
	return x
}
