//go:build !(goexperiment.simd && amd64)

package cpu

// clearVectorState does nothing: without the simd experiment no Go code leaves the vector
// registers' upper halves in use.
func clearVectorState() {}
