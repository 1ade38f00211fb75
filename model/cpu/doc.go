// Package cpu is the CPU backend: float32 storage, float64 accumulation in reductions,
// parallel over rows on the worker pool of model/cpu/pool. Its reference kernels are the
// oracle the WebGPU kernels are checked against; the backend is also the fallback where no
// GPU exists.
//
// Each op family is written once as generic functions over float32 and float64 (the
// *_kernels.go files), so the finite-difference gradient checks run the very same code in
// float64. The Backend methods are thin wrappers. The fast float32 paths live beside it in
// model/cpu/fast: matmuls take one of three paths, chosen at construction (MatMulPath):
// OpenBLAS's sgemm loaded at run time, fast's cache-blocked pure-Go kernel, or the
// reference loops here. New picks the fastest available; NewReference and New64 always use
// the reference loops. Attention runs on the fast path's products where there is one, and
// the float32 row kernels hand their rows to fast's vector lanes first (under
// GOEXPERIMENT=simd), computing the rest here.
//
// It imports model/cpu/fast, model/cpu/pool, model/tensor and weights (whose float16
// rounding F16 products use).
package cpu
