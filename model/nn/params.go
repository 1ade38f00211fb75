package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"flowsphere/model/tensor"
)

// Init says how a parameter starts.
type Init struct {
	Kind  InitKind
	Scale float64 // standard deviation (Normal) or bound (Uniform)
}

// InitKind is the distribution of an Init.
type InitKind int

// The initialisations parameters use.
const (
	Zeros InitKind = iota
	Ones
	Normal
	Uniform
)

// Common initialisations.
var (
	InitZeros = Init{Kind: Zeros}
	InitOnes  = Init{Kind: Ones}
)

// InitLinear is PyTorch's default for a weight with fanIn inputs: U(±1/sqrt(fanIn)).
func InitLinear(fanIn int) Init { return Init{Kind: Uniform, Scale: 1 / math.Sqrt(float64(fanIn))} }

// Param is one named parameter with its gradient, both views into their set's flat arenas.
type Param struct {
	Name  string
	Shape []int
	Init  Init
	Value *tensor.Tensor // shape Shape
	Grad  *tensor.Tensor // shape Shape
	off   int            // element offset in the arenas
}

// Offset is the parameter's first element in its set's arenas (laid out by Allocate), so
// that an optimiser can address its slice of any arena shaped like Values.
func (p *Param) Offset() int { return p.off }

// ParamSet owns every parameter of a model in two flat arenas (values and gradients), so
// optimisers, clipping and EMA run as single ops over the whole model.
type ParamSet struct {
	List   []*Param
	Values *tensor.Tensor // [Size]
	Grads  *tensor.Tensor // [Size]
	Size   int            // elements, padding included
}

// Add declares a parameter; call Allocate once all are declared.
func (s *ParamSet) Add(name string, init Init, shape ...int) *Param {
	if s.Values != nil {
		panic("nn: parameter " + name + " added after Allocate")
	}
	p := &Param{Name: name, Shape: append([]int(nil), shape...), Init: init}
	s.List = append(s.List, p)
	return p
}

// Count is the number of trainable values (padding excluded).
func (s *ParamSet) Count() int {
	n := 0
	for _, p := range s.List {
		n += tensor.Numel(p.Shape)
	}
	return n
}

// Allocate lays the parameters out in aligned arenas on b, initialises the values from seed
// and zeroes the gradients.
func (s *ParamSet) Allocate(b tensor.Backend, seed uint64) {
	align := b.Align()
	off := 0
	for _, p := range s.List {
		p.off = off
		off += (tensor.Numel(p.Shape) + align - 1) / align * align
	}
	s.Size = max(off, align)
	s.Values, s.Grads = b.New(s.Size), b.New(s.Size)
	for _, p := range s.List {
		p.Value = b.View(s.Values, p.off, p.Shape...)
		p.Grad = b.View(s.Grads, p.off, p.Shape...)
	}
	host := make([]float32, s.Size)
	s.drawInit(host, seed, "")
	b.Upload(s.Values, host)
}

// drawInit fills the values in host: [Size] of the parameters whose names start with prefix
// with their initialisation drawn from seed, and returns how many parameters it drew.
func (s *ParamSet) drawInit(host []float32, seed uint64, prefix string) int {
	rng := rand.New(rand.NewPCG(seed, 0x9a5a))
	n := 0
	for _, p := range s.List {
		if strings.HasPrefix(p.Name, prefix) {
			fillInit(host[p.off:p.off+tensor.Numel(p.Shape)], p.Init, rng)
			n++
		}
	}
	return n
}

// fillInit draws a parameter's initial values.
func fillInit(dst []float32, in Init, rng *rand.Rand) {
	for i := range dst {
		switch in.Kind {
		case Zeros:
			dst[i] = 0
		case Ones:
			dst[i] = 1
		case Normal:
			dst[i] = float32(rng.NormFloat64() * in.Scale)
		case Uniform:
			dst[i] = float32((2*rng.Float64() - 1) * in.Scale)
		default:
			panic(fmt.Sprintf("nn: unknown init kind %d", in.Kind))
		}
	}
}

// Reinit draws fresh initial values from seed for the parameters whose names start with
// prefix and keeps the others' values; it returns how many parameters it redrew.
func (s *ParamSet) Reinit(b tensor.Backend, seed uint64, prefix string) (int, error) {
	host, err := b.Download(s.Values)
	if err != nil {
		return 0, err
	}
	n := s.drawInit(host, seed, prefix)
	b.Upload(s.Values, host)
	return n, nil
}

// ZeroGrads clears every gradient, once per step before the backward passes.
func (s *ParamSet) ZeroGrads(b tensor.Backend) { b.Fill(s.Grads, 0) }

// Free releases the arenas.
func (s *ParamSet) Free(b tensor.Backend) {
	if s.Values != nil {
		b.Free(s.Values)
		b.Free(s.Grads)
		s.Values, s.Grads = nil, nil
	}
}

// Split cuts a downloaded arena flat: [Size] into one slice per parameter, in List order.
// The slices alias flat.
func (s *ParamSet) Split(flat []float32) [][]float32 {
	out := make([][]float32, len(s.List))
	for i, p := range s.List {
		out[i] = flat[p.off : p.off+tensor.Numel(p.Shape)]
	}
	return out
}

// Join lays per-parameter values (by name) out as an arena flat: [Size], checking that every
// parameter is present with the right number of values. Padding stays zero.
func (s *ParamSet) Join(values map[string][]float32) ([]float32, error) {
	flat := make([]float32, s.Size)
	for _, p := range s.List {
		v, ok := values[p.Name]
		if !ok {
			return nil, fmt.Errorf("nn: no values for parameter %s", p.Name)
		}
		if n := tensor.Numel(p.Shape); len(v) != n {
			return nil, fmt.Errorf("nn: parameter %s has %d values, want %d (shape %v)", p.Name, len(v), n, p.Shape)
		}
		copy(flat[p.off:], v)
	}
	return flat, nil
}
