//go:build goexperiment.simd && amd64

package pool

import "simd/archsimd"

// avx says the CPU has the VEX-encoded vector instructions (AVX) whose upper register
// halves clearVectorState clears.
var avx = archsimd.X86.AVX()

// clearVectorState zeroes the upper halves of the vector registers before a chunk of work.
// With the simd experiment the runtime's asynchronous preemption restores all 512 bits of
// them, and until the next VZEROUPPER scalar Go and assembly in legacy SSE encodings (such
// as math.Exp) run several times slower.
func clearVectorState() {
	if avx {
		archsimd.ClearAVXUpperBits()
	}
}
