//go:build !((darwin || linux || netbsd) && !android && (amd64 || arm64))

package fast

import (
	"fmt"
	"runtime"
)

// openBLAS reports that this platform does not load OpenBLAS at run time — js/wasm cannot
// load libraries at all; elsewhere purego lacks a cgo-free loader or 64-bit calls — so the
// blocked pure-Go kernel is used.
func openBLAS() (*blasLib, error) {
	return nil, fmt.Errorf("cpu: no OpenBLAS: not loaded at run time on %s/%s", runtime.GOOS, runtime.GOARCH)
}
