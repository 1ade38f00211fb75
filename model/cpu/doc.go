// Package cpu is the pure-Go reference backend: float32 storage, float64 accumulation in
// reductions, parallel over rows with goroutines. It is the oracle the WebGPU kernels are
// checked against and the fallback where no GPU exists.
//
// Each op family is written once as generic functions over float32 and float64 (the
// *_kernels.go files), so the finite-difference gradient checks run the very same code in
// float64. The Backend methods are thin float32 wrappers. It imports only model/tensor.
package cpu
