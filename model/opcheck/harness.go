package opcheck

import (
	"fmt"
	"math"
	"math/rand/v2"

	"flowsphere/model/tensor"
)

// guardValue fills the guard words around outputs; any change means a stray write.
const guardValue = -7777.25

// Pair is one logical tensor held on both backends, with the same contents at start.
type Pair struct {
	ref, dev           *tensor.Tensor // what ops see
	refOuter, devOuter *tensor.Tensor // guarded allocation around ref/dev, or nil
	guard              int            // guard words on each side
	shape              []int
}

// Tol is a per-output tolerance: an element passes when |got − want| ≤ Abs + Rel·|want|.
type Tol struct {
	Abs, Rel float64
	Why      string // why this tolerance is right for this output
}

// Harness runs one case: it makes inputs and outputs on both backends, runs the op on each
// and compares. Errors are collected, not fatal, so a case reports all of its outputs.
type Harness struct {
	Ref, Dev tensor.Backend
	rng      *rand.Rand
	res      Result
	owned    []owned // allocations to free at the end
}

// newHarness seeds the inputs from seed.
func newHarness(ref, dev tensor.Backend, seed uint64) *Harness {
	return &Harness{Ref: ref, Dev: dev, rng: rand.New(rand.NewPCG(seed, 0x5eed)), res: Result{Pass: true}}
}

// Normal returns n Gaussian values with standard deviation scale.
func (h *Harness) Normal(n int, scale float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(h.rng.NormFloat64() * scale)
	}
	return out
}

// Uniform returns n values uniform in [lo, hi).
func (h *Harness) Uniform(n int, lo, hi float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(lo + (hi-lo)*h.rng.Float64())
	}
	return out
}

// owned is one allocation and the backend it belongs to.
type owned struct {
	b tensor.Backend
	t *tensor.Tensor
}

func (h *Harness) alloc(b tensor.Backend, shape []int) *tensor.Tensor {
	t := b.New(shape...)
	h.owned = append(h.owned, owned{b, t})
	return t
}

// From uploads data (len = product of shape) to both backends.
func (h *Harness) From(data []float32, shape ...int) Pair {
	p := Pair{ref: h.alloc(h.Ref, shape), dev: h.alloc(h.Dev, shape), shape: shape}
	h.Ref.Upload(p.ref, data)
	h.Dev.Upload(p.dev, data)
	return p
}

// Input makes a Gaussian input with standard deviation scale.
func (h *Harness) Input(scale float64, shape ...int) Pair {
	return h.From(h.Normal(tensor.Numel(shape), scale), shape...)
}

// Output makes a guarded output whose initial contents are init (nil for zeros): the tensor
// the op sees is a view with guard words on both sides.
func (h *Harness) Output(init []float32, shape ...int) Pair {
	n := tensor.Numel(shape)
	g := max(h.Ref.Align(), h.Dev.Align(), 16)
	whole := make([]float32, n+2*g)
	for i := range whole {
		whole[i] = guardValue
	}
	if init == nil {
		init = make([]float32, n)
	}
	copy(whole[g:], init)
	p := Pair{guard: g, shape: shape}
	p.refOuter, p.devOuter = h.alloc(h.Ref, []int{n + 2*g}), h.alloc(h.Dev, []int{n + 2*g})
	h.Ref.Upload(p.refOuter, whole)
	h.Dev.Upload(p.devOuter, whole)
	p.ref, p.dev = h.Ref.View(p.refOuter, g, shape...), h.Dev.View(p.devOuter, g, shape...)
	return p
}

// Run calls op once with the reference tensors and once with the device tensors.
func (h *Harness) Run(op func(b tensor.Backend, t func(Pair) *tensor.Tensor)) {
	op(h.Ref, func(p Pair) *tensor.Tensor { return p.ref })
	op(h.Dev, func(p Pair) *tensor.Tensor { return p.dev })
}

// Opt is for optional arguments: it returns nil for an absent pair.
func Opt(t func(Pair) *tensor.Tensor, p *Pair) *tensor.Tensor {
	if p == nil {
		return nil
	}
	return t(*p)
}

// Check compares output p between the backends within tol and checks its guard words.
func (h *Harness) Check(name string, p Pair, tol Tol) {
	want, got, err := h.download(p)
	if err != nil {
		h.fail("%s: %v", name, err)
		return
	}
	h.compare(name, got, want, tol)
}

// CheckValues compares output p on the device against explicit expected values.
func (h *Harness) CheckValues(name string, p Pair, want []float32, tol Tol) {
	_, got, err := h.download(p)
	if err != nil {
		h.fail("%s: %v", name, err)
		return
	}
	h.compare(name, got, want, tol)
}

// download returns the inner values on both backends after checking the guards.
func (h *Harness) download(p Pair) (ref, dev []float32, err error) {
	if p.refOuter == nil {
		if ref, err = h.Ref.Download(p.ref); err != nil {
			return nil, nil, err
		}
		dev, err = h.Dev.Download(p.dev)
		return ref, dev, err
	}
	for i, outer := range []*tensor.Tensor{p.refOuter, p.devOuter} {
		b := []tensor.Backend{h.Ref, h.Dev}[i]
		whole, err := b.Download(outer)
		if err != nil {
			return nil, nil, err
		}
		n := len(whole) - 2*p.guard
		for j := range p.guard {
			if whole[j] != guardValue || whole[p.guard+n+j] != guardValue {
				return nil, nil, fmt.Errorf("%s backend wrote into the guard words", b.Info().Backend)
			}
		}
		if i == 0 {
			ref = whole[p.guard : p.guard+n]
		} else {
			dev = whole[p.guard : p.guard+n]
		}
	}
	return ref, dev, nil
}

func (h *Harness) compare(name string, got, want []float32, tol Tol) {
	if len(got) != len(want) {
		h.fail("%s: %d values, want %d", name, len(got), len(want))
		return
	}
	worst := -1
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		d := math.Abs(g - w)
		if math.IsNaN(g) != math.IsNaN(w) || math.IsInf(g, 0) != math.IsInf(w, 0) {
			d = math.Inf(1)
		} else if math.IsNaN(g) || (math.IsInf(g, 0) && g == w) {
			d = 0
		}
		h.res.MaxAbs = math.Max(h.res.MaxAbs, d)
		h.res.MaxRel = math.Max(h.res.MaxRel, d/(math.Abs(w)+tol.Abs+1e-30))
		if d > tol.Abs+tol.Rel*math.Abs(w) && worst < 0 {
			worst = i
		}
	}
	if worst >= 0 {
		h.fail("%s[%d] = %g, want %g (tolerance %g + %g·|want|: %s)", name, worst, got[worst], want[worst], tol.Abs, tol.Rel, tol.Why)
	}
}

func (h *Harness) fail(format string, args ...any) {
	h.res.Pass = false
	if h.res.Err == "" {
		h.res.Err = fmt.Sprintf(format, args...)
	}
}

// release frees every tensor the case allocated.
func (h *Harness) release() {
	for _, o := range h.owned {
		o.b.Free(o.t)
	}
	h.owned = nil
}
