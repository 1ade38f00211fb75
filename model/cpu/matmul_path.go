package cpu

import (
	"fmt"
	"os"

	"flowsphere/model/cpu/fast"
	"flowsphere/model/tensor"
)

// MatMulPath says how a float32 Backend multiplies matrices. Attention is built from the
// fast paths' products; every other op runs the same kernels on every path.
type MatMulPath int

// The matmul paths.
const (
	// AutoMatMul is OpenBLAS when it loads and the environment variable FLOWSPHERE_BLAS is
	// not "off", else BlockedMatMul.
	AutoMatMul MatMulPath = iota
	// BLASMatMul is sgemm from OpenBLAS, loaded at run time (never on js/wasm).
	BLASMatMul
	// BlockedMatMul is the cache-blocked, register-tiled pure-Go kernel with float32 sums.
	BlockedMatMul
	// ReferenceMatMul is the plain loops with float64 sums: the oracle of the op checks.
	ReferenceMatMul
)

// blasEnv is the environment variable that turns BLAS off for AutoMatMul when set to "off".
const blasEnv = "FLOWSPHERE_BLAS"

// gemm is one MatMul implementation over element type T, with the name Info reports.
type gemm[T Float] struct {
	name string
	run  func(out, a, b, bias []T, d tensor.MatMulDims) // as tensor.Ops.MatMul, on storage
	// mul is the fast paths' product, which the other ops built on products (attention)
	// use too; nil on the reference path, whose ops keep their plain float64-sum loops.
	mul fast.Product
}

// referenceGemm is the plain loops.
func referenceGemm[T Float]() gemm[T] { return gemm[T]{name: "reference matmul", run: matmul[T]} }

// fastGemm is a fast path named name multiplying with mul.
func fastGemm(name string, mul fast.Product) gemm[float32] {
	return gemm[float32]{name: name, mul: mul, run: func(out, a, b, bias []float32, d tensor.MatMulDims) {
		fast.MatMul(out, a, b, bias, d, mul)
	}}
}

// blockedGemm is the pure-Go blocked kernel; why, when not empty, says why it was chosen.
func blockedGemm(why string) gemm[float32] {
	name := fast.BlockedName()
	if why != "" {
		name += " (" + why + ")"
	}
	return fastGemm(name, fast.Blocked)
}

// gemmFor returns path's implementation, or an error when BLASMatMul is asked for and
// OpenBLAS does not load.
func gemmFor(path MatMulPath) (gemm[float32], error) {
	switch path {
	case ReferenceMatMul:
		return referenceGemm[float32](), nil
	case BlockedMatMul:
		return blockedGemm(""), nil
	case BLASMatMul:
		name, mul, err := fast.BLAS()
		if err != nil {
			return gemm[float32]{}, err
		}
		return fastGemm(name, mul), nil
	case AutoMatMul:
		if os.Getenv(blasEnv) == "off" {
			return blockedGemm(blasEnv + "=off"), nil
		}
		if g, err := gemmFor(BLASMatMul); err == nil {
			return g, nil
		}
		return blockedGemm("no OpenBLAS"), nil
	}
	return gemm[float32]{}, fmt.Errorf("cpu: unknown matmul path %d", path)
}
