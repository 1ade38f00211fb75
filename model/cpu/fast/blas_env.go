//go:build (darwin || linux || netbsd) && !android && (amd64 || arm64)

package fast

import (
	"os"

	xcpu "golang.org/x/sys/cpu"
)

// openBLASEnv returns the environment OpenBLAS reads once, when it loads, as this backend
// wants it:
//
//   - OPENBLAS_CORETYPE names the kernels for this CPU's vector extensions (as the OS enables
//     them): SkylakeX for AVX-512, Haswell for AVX2 with FMA, none (OpenBLAS decides) else and
//     off x86. OpenBLAS 0.3.21 (Debian 12) does not know newer CPU models, such as Sapphire
//     Rapids behind a generic virtual CPU model, and falls back to its SSE3 "Prescott"
//     kernels, which run sgemm 4–6× slower there.
//   - OPENBLAS_THREAD_TIMEOUT=4: OpenBLAS's idle threads wait 2^4 cycles for the next call
//     before sleeping instead of 2^28 (about 0.1 s). Spinning that long after every sgemm
//     takes a core from the Go ops that follow (measured: 35–75 ms of CPU per call); waking
//     a sleeping thread costs microseconds against milliseconds of sgemm.
func openBLASEnv() map[string]string {
	env := map[string]string{"OPENBLAS_THREAD_TIMEOUT": "4"}
	x := xcpu.X86
	switch {
	case x.HasAVX512F && x.HasAVX512BW && x.HasAVX512DQ && x.HasAVX512VL:
		env["OPENBLAS_CORETYPE"] = "SkylakeX"
	case x.HasAVX2 && x.HasFMA:
		env["OPENBLAS_CORETYPE"] = "Haswell"
	}
	return env
}

// withOpenBLASEnv runs load with the variables of openBLASEnv that the environment does not
// set, and removes them afterwards: the user's settings win.
func withOpenBLASEnv(load func()) {
	for k, v := range openBLASEnv() {
		if _, set := os.LookupEnv(k); !set {
			os.Setenv(k, v)
			defer os.Unsetenv(k)
		}
	}
	load()
}
