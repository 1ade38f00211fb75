package cpu_test

import (
	"os"
	"strings"
	"testing"

	"flowsphere/model/cpu"
)

// requireBLASEnv set to 1 (./build.sh test does, having installed OpenBLAS) makes a BLAS
// path that does not load a test failure instead of a skip.
const requireBLASEnv = "FLOWSPHERE_REQUIRE_BLAS"

// matmulPaths are the paths the fast backend may take, and the reference, with the text
// Info reports for each.
var matmulPaths = []struct {
	name    string
	path    cpu.MatMulPath
	adapter string
}{
	{"blas", cpu.BLASMatMul, "OpenBLAS"},
	{"blocked", cpu.BlockedMatMul, "pure-Go blocked matmul"},
	{"reference", cpu.ReferenceMatMul, "reference matmul"},
}

// openPath returns a float32 backend on path. Where OpenBLAS does not load, the test is
// skipped, or fails when FLOWSPHERE_REQUIRE_BLAS=1.
func openPath(t testing.TB, path cpu.MatMulPath, adapter string) *cpu.Backend[float32] {
	t.Helper()
	be, err := cpu.NewWith(path)
	if err != nil {
		if os.Getenv(requireBLASEnv) == "1" {
			t.Fatalf("%s=1 but: %v", requireBLASEnv, err)
		}
		t.Skip(err)
	}
	if a := be.Info().Adapter; !strings.Contains(a, adapter) {
		t.Fatalf("adapter %q does not name %q", a, adapter)
	}
	return be
}
