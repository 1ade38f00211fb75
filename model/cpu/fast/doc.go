// Package fast holds the CPU backend's fast float32 paths, beside the reference kernels of
// model/cpu that they are checked against: matrix products on OpenBLAS's sgemm, loaded at
// run time with purego (no cgo, never on js/wasm), or on a cache-blocked pure-Go kernel;
// attention built from batched products; and, built with GOEXPERIMENT=simd on x86-64, the
// AVX-512 and AVX2 register tiles and the vector lanes of the row kernels (norms, adaLN,
// activations, RoPE, AdamW) that model/cpu's float32 kernels call. Without the experiment
// the row kernels handle no element and leave each row to the caller's scalar loop.
//
// It imports model/cpu/pool, model/tensor and, to load OpenBLAS, github.com/ebitengine/purego.
package fast
