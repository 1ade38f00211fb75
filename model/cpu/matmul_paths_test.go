package cpu_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/opcheck"
	"flowsphere/model/tensor"
)

// TestPathsTable runs the shared case table on every matmul path against the reference
// backend, so CI checks BLAS and the blocked kernel, and the attention built on them,
// whichever New picks on the machine.
func TestPathsTable(t *testing.T) {
	ref := cpu.NewReference()
	for _, mp := range matmulPaths {
		t.Run(mp.name, func(t *testing.T) {
			dev := openPath(t, mp.path, mp.adapter)
			for _, c := range opcheck.All() {
				if r := opcheck.RunCase(c, ref, dev); !r.Pass {
					t.Errorf("%s: %s (max abs %.3g, max rel %.3g)", c.Label(), r.Err, r.MaxAbs, r.MaxRel)
				}
			}
		})
	}
}

// TestMatMulPathsEmptyDims checks what the table leaves out, on every path against the
// reference: an empty K (out becomes the bias, the prior out, both, or zero) and an empty M
// or N (nothing is written).
func TestMatMulPathsEmptyDims(t *testing.T) {
	ref := cpu.NewReference()
	for _, mp := range matmulPaths {
		t.Run(mp.name, func(t *testing.T) {
			be := openPath(t, mp.path, mp.adapter)
			for _, d := range []tensor.MatMulDims{
				{M: 3, N: 4, K: 0},
				{M: 3, N: 4, K: 0, Accumulate: true},
				{M: 2, N: 3, K: 0, TransA: true, Batch: 2, StrideOut: 7},
				{M: 0, N: 4, K: 5},
				{M: 3, N: 0, K: 5, TransB: true},
			} {
				for _, withBias := range []bool{false, true} {
					want, got := emptyDimsMatMul(ref, d, withBias), emptyDimsMatMul(be, d, withBias)
					if !slices.Equal(got, want) {
						t.Errorf("%+v bias=%v: %v, reference %v", d, withBias, got, want)
					}
				}
			}
		})
	}
}

// emptyDimsMatMul runs d on be with constant operands and an output of 20 ones (so
// untouched elements show) and returns the output.
func emptyDimsMatMul(be tensor.Backend, d tensor.MatMulDims, withBias bool) []float32 {
	upload := func(v ...float32) *tensor.Tensor {
		t := be.New(len(v))
		be.Upload(t, v)
		return t
	}
	out := upload(slices.Repeat([]float32{1}, 20)...)
	var bias *tensor.Tensor
	if withBias {
		bias = upload(0.5, -2, 3, 0.25)
	}
	items := max(d.Batch, 1)
	a, b := upload(slices.Repeat([]float32{2}, items*d.M*d.K)...), upload(slices.Repeat([]float32{3}, items*d.K*d.N)...)
	be.MatMul(out, a, b, bias, d)
	v, _ := be.Download(out)
	return v
}

// TestMatMulPathsShortOperand checks that on the fast paths an operand too short for its
// dims panics on the calling goroutine, where it can be recovered, rather than in a worker
// or in C.
func TestMatMulPathsShortOperand(t *testing.T) {
	for _, mp := range matmulPaths {
		if mp.path == cpu.ReferenceMatMul {
			continue // the reference indexes out of range in whichever goroutine gets there
		}
		t.Run(mp.name, func(t *testing.T) {
			be := openPath(t, mp.path, mp.adapter)
			a, b, out := be.New(64*64), be.New(64*64-1), be.New(64*64)
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			be.MatMul(out, a, b, nil, tensor.MatMulDims{M: 64, N: 64, K: 64})
		})
	}
}

// TestMatMulPathsBatchedItems checks products above the size BLAS runs as one call, single
// (split into blocks of rows or columns, or along a long contraction) and batched: every layout, taller and wider
// outputs, with and without accumulation, against the reference.
func TestMatMulPathsBatchedItems(t *testing.T) {
	ref := cpu.NewReference()
	for _, mp := range matmulPaths[:2] {
		t.Run(mp.name, func(t *testing.T) {
			be := openPath(t, mp.path, mp.adapter)
			for _, shape := range [][3]int{{150, 40, 50}, {40, 150, 50}, {97, 97, 33}, {20, 24, 700}, {24, 24, 601}} {
				for _, layout := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
					for _, batch := range []int{1, 3} {
						m, n, k := shape[0], shape[1], shape[2]
						d := tensor.MatMulDims{M: m, N: n, K: k, TransA: layout[0], TransB: layout[1],
							Batch: batch, StrideA: m * k, StrideB: k * n, StrideOut: m * n, Accumulate: m == n}
						want, got := batchedProduct(ref, d), batchedProduct(be, d)
						for i := range want {
							if diff := math.Abs(float64(got[i] - want[i])); diff > 1e-4*(1+math.Abs(float64(want[i]))) {
								t.Fatalf("%+v: element %d is %g, reference %g", d, i, got[i], want[i])
							}
						}
					}
				}
			}
		})
	}
}

// batchedProduct runs d on be with seeded operands and a seeded prior output and returns
// the output.
func batchedProduct(be tensor.Backend, d tensor.MatMulDims) []float32 {
	upload := func(n int, seed uint64) *tensor.Tensor {
		t := be.New(n)
		be.Upload(t, seededValues(n, seed))
		return t
	}
	out := upload(d.Batch*d.M*d.N, 3)
	be.MatMul(out, upload(d.Batch*d.M*d.K, 1), upload(d.Batch*d.K*d.N, 2), nil, d)
	v, _ := be.Download(out)
	return v
}

// seededValues is n seeded values in [-1, 1).
func seededValues(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 11))
	v := make([]float32, n)
	for i := range v {
		v[i] = 2*rng.Float32() - 1
	}
	return v
}
