package shaders

import (
	"os"
	"os/exec"
	"testing"
)

// TestWasmBuild compiles every package the browser uses for GOOS=js GOARCH=wasm, so a
// native-only call cannot slip into them.
func TestWasmBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles for wasm; skipped with -short")
	}
	cmd := exec.Command("go", "build", "-o", os.DevNull, "../model/...", "../shaders/...", "../weights/...")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go build: %v\n%s", err, out)
	}
}
