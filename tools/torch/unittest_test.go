package torch

import "testing"

// TestPythonUnitTests runs the twin's own unit tests (tests/, plain unittest).
func TestPythonUnitTests(t *testing.T) {
	py := python(t)
	runPython(t, py, "-m", "unittest", "discover", "-s", "tests", "-t", ".")
}
