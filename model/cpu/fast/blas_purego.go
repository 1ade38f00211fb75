//go:build (darwin || linux || netbsd) && !android && (amd64 || arm64)

package fast

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unsafe"

	"github.com/ebitengine/purego"
)

// blasCandidates are the libraries openBLAS tries, in order: Debian's libopenblas0-pthread
// (or -openmp, -serial) provides libopenblas.so.0, Homebrew libopenblas.dylib, and the
// generic libblas.so.3 counts when it is OpenBLAS behind the alternatives link.
var blasCandidates = []string{
	"libopenblas.so.0",
	"libopenblas.so",
	"libopenblas.dylib",
	"/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
	"/usr/local/opt/openblas/lib/libopenblas.dylib",
	"libblas.so.3",
}

// openBLAS loads the first OpenBLAS among blasCandidates with purego (dlopen, no cgo),
// sets its thread count to GOMAXPROCS and resolves sgemm_. The Fortran interface is used
// rather than cblas_sgemm because it takes only pointers: purego's SyscallN passes integer
// arguments without allocating but cannot place cblas_sgemm's float alpha and beta, and its
// reflection-based RegisterFunc, which can, allocates on every call.
func openBLAS() (*blasLib, error) {
	var errs []error
	for _, name := range blasCandidates {
		lib, err := openBLASAt(name)
		if err == nil {
			return lib, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("cpu: no OpenBLAS: %w", errors.Join(errs...))
}

// openBLASAt loads OpenBLAS from one library name, in the environment of withOpenBLASEnv.
func openBLASAt(name string) (*blasLib, error) {
	var h uintptr
	var err error
	withOpenBLASEnv(func() { h, err = purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_LOCAL) })
	if err != nil {
		return nil, err
	}
	syms := map[string]uintptr{"sgemm_": 0, "openblas_get_config": 0, "openblas_get_corename": 0,
		"openblas_set_num_threads": 0, "openblas_get_num_threads": 0}
	for s := range syms {
		if syms[s], err = purego.Dlsym(h, s); err != nil {
			purego.Dlclose(h)
			return nil, fmt.Errorf("%s: not OpenBLAS: %w", name, err)
		}
	}
	var config, corename func() string
	purego.RegisterFunc(&config, syms["openblas_get_config"])
	purego.RegisterFunc(&corename, syms["openblas_get_corename"])
	cfg := config() // e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"
	if strings.Contains(cfg, "USE64BITINT") {
		purego.Dlclose(h)
		return nil, fmt.Errorf("%s: a 64-bit-integer OpenBLAS (%s); the LP64 one is needed", name, cfg)
	}
	// One thread inside OpenBLAS: product spreads blocks and batch items over the Go pool,
	// one single-threaded sgemm call per block. OpenBLAS's own threads scale this model's
	// narrow products poorly (0.9–1.5× on two cores at K = 128) and, called from several
	// pool threads at once, oversubscribe the cores.
	purego.SyscallN(syms["openblas_set_num_threads"], 1)
	threads, _, _ := purego.SyscallN(syms["openblas_get_num_threads"])
	words := strings.Fields(cfg)
	version := strings.Join(words[:min(2, len(words))], " ") // "OpenBLAS 0.3.21"
	return &blasLib{
		name:  fmt.Sprintf("%s %s (%d thread per call)", version, corename(), int32(threads)),
		sgemm: fortranSgemm(syms["sgemm_"]).call,
	}, nil
}

// fortranSgemm is the address of sgemm_.
type fortranSgemm uintptr

// call runs sgemm_ on x. purego.SyscallN is variadic and marked go:uintptrescapes, so an
// argument list built in the call moves to the heap on every call; x.argv is already there.
// Passing addresses as stored uintptrs is safe because everything they point to is on the
// non-moving Go heap and kept alive through the call by x's typed pointers (x itself, its
// a, b, c). The trailing 1, 1 are the hidden lengths of the two character arguments in the
// gfortran calling convention; OpenBLAS's C sgemm_ ignores them.
func (f fortranSgemm) call(x *sgemmArgs) {
	x.argv = [15]uintptr{
		uintptr(unsafe.Pointer(&x.transA)), uintptr(unsafe.Pointer(&x.transB)),
		uintptr(unsafe.Pointer(&x.m)), uintptr(unsafe.Pointer(&x.n)), uintptr(unsafe.Pointer(&x.k)),
		uintptr(unsafe.Pointer(&x.alpha)),
		uintptr(unsafe.Pointer(x.a)), uintptr(unsafe.Pointer(&x.lda)),
		uintptr(unsafe.Pointer(x.b)), uintptr(unsafe.Pointer(&x.ldb)),
		uintptr(unsafe.Pointer(&x.beta)),
		uintptr(unsafe.Pointer(x.c)), uintptr(unsafe.Pointer(&x.ldc)),
		1, 1,
	}
	purego.SyscallN(uintptr(f), x.argv[:]...)
	runtime.KeepAlive(x)
}
