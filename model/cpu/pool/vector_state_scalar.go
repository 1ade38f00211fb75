//go:build !(goexperiment.simd && amd64)

package pool

// clearVectorState does nothing: without the simd experiment no Go code leaves the vector
// registers' upper halves in use.
func clearVectorState() {}
