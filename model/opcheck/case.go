package opcheck

import (
	"fmt"
	"hash/fnv"

	"flowsphere/model/tensor"
)

// Case is one check of one op in one direction. Family is the kernel family, the name its
// files share (shaders/<family>.wgsl, model/cpu/<family>_kernels.go, <family>_cases.go);
// in a family of several ops the Name starts with the op, as the WGSL entry points do.
type Case struct {
	Family string // kernel family, e.g. "loss"
	Pass   string // "forward" or "backward"
	Name   string // the op where the family has several, then what is special, e.g. "cosine 1x256 zero row in a (eps guard)"
	Run    func(h *Harness)
}

// Label is the case's name as the selftest table prints it.
func (c Case) Label() string { return c.Pass + ": " + c.Name }

// Result is the outcome of one case on one device backend.
type Result struct {
	Family      string  `json:"family"`
	Case        string  `json:"case"`
	Pass        bool    `json:"pass"`
	MaxAbs      float64 `json:"max_abs"`
	MaxRel      float64 `json:"max_rel"`
	Backend     string  `json:"backend"`
	Adapter     string  `json:"adapter"`
	AdapterType string  `json:"adapter_type"`
	F16         bool    `json:"f16"` // the device rounds f16 products' operands (tensor.DeviceInfo.F16)
	Err         string  `json:"error,omitempty"`
}

// RunCase runs c with inputs seeded from its name, comparing dev against ref. A panic in
// the op is reported as a failure.
func RunCase(c Case, ref, dev tensor.Backend) (res Result) {
	seed := fnv.New64a()
	fmt.Fprint(seed, c.Family, c.Label())
	h := newHarness(ref, dev, seed.Sum64())
	info := dev.Info()
	defer func() {
		if p := recover(); p != nil {
			h.fail("panic: %v", p)
		}
		h.release()
		res = h.res
		res.Family, res.Case = c.Family, c.Label()
		res.Backend, res.Adapter, res.AdapterType, res.F16 = info.Backend, info.Adapter, info.Type, info.F16
	}()
	c.Run(h)
	return
}

// All is the whole case table, in a fixed order.
func All() []Case {
	var all []Case
	for _, family := range [][]Case{
		elementwiseCases(),
		matmulCases(),
		actCases(),
		rmsnormCases(),
		attentionCases(),
		ropeCases(),
		adalnCases(),
		patchCases(),
		lossCases(),
		optimCases(),
		muonCases(),
		rngCases(),
	} {
		all = append(all, family...)
	}
	return all
}
