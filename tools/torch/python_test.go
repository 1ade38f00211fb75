package torch

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// probe is the check that an interpreter has what the twin needs.
const probe = "import torch, numpy\nfrom twin import zstd\nassert zstd.codec().name != 'stored', 'no zstd'"

var (
	pyOnce sync.Once
	pyPath string
	pyErr  string // why there is no usable interpreter, or ""
)

// findPython picks the interpreter: $FLOWSPHERE_PYTHON, else /usr/bin/python3 (Debian's
// python3-torch installs there, while a PATH python3 may be another one), else python3.
func findPython() string {
	if p := os.Getenv("FLOWSPHERE_PYTHON"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	if p, err := exec.LookPath("python3"); err == nil {
		return p
	}
	return ""
}

// python returns an interpreter with torch, numpy and zstd. Without one it skips the test,
// or fails it when FLOWSPHERE_REQUIRE_TORCH=1.
func python(t *testing.T) string {
	t.Helper()
	pyOnce.Do(func() {
		readSources()
		pyPath = findPython()
		if pyPath == "" {
			pyErr = "no python3 found"
			return
		}
		out, err := exec.Command(pyPath, "-c", probe).CombinedOutput()
		if err != nil {
			pyErr = pyPath + " cannot run the twin: " + strings.TrimSpace(lastLines(string(out), 3))
		}
	})
	if pyErr != "" {
		msg := pyErr + " (install python3-torch, python3-numpy and python3-zstandard or zstd; set FLOWSPHERE_PYTHON to choose an interpreter)"
		if os.Getenv("FLOWSPHERE_REQUIRE_TORCH") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return pyPath
}

// readSources reads every Python file of the twin: go test caches a passing result until a
// file the test read changes, and the Python interpreter's reads do not count.
func readSources() {
	filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".py") {
			os.ReadFile(path)
		}
		return nil
	})
}

// pythonTimeout bounds one run of the interpreter: a data-parallel run that hangs (a torch
// 1.13 teardown did once) fails the test instead of stalling it.
const pythonTimeout = 8 * time.Minute

// runPython runs the interpreter py in this folder with args and fails the test, showing
// the end of its output, if it fails or outlasts pythonTimeout (then it gets an interrupt,
// which torchrun passes on to its workers, and a kill 30 s later).
func runPython(t *testing.T, py string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), pythonTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", py, strings.Join(args, " "), err, lastLines(out.String(), 30))
	}
}

// lastLines is the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
