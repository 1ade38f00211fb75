// Package cpu is the CPU backend: float32 storage, float64 accumulation in reductions,
// parallel over rows on a persistent worker pool whose dispatch allocates nothing. It is
// the oracle the WebGPU kernels are checked against and the fallback where no GPU exists.
//
// Each op family is written once as generic functions over float32 and float64 (the
// *_kernels.go files), so the finite-difference gradient checks run the very same code in
// float64. The Backend methods are thin wrappers. Matmuls take one of three paths, chosen
// at construction (MatMulPath): OpenBLAS's sgemm loaded at run time with purego (no cgo,
// never on js/wasm), a cache-blocked pure-Go kernel, or the reference loops. New picks the
// fastest available; NewReference and New64 always use the reference loops.
//
// It imports model/tensor and, to load OpenBLAS, github.com/ebitengine/purego.
package cpu
