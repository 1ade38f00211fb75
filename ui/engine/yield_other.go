//go:build !js

package engine

// yieldToHost does nothing natively: the engine goroutine runs on its own thread beside
// the UI's (see yield_js.go).
func yieldToHost() {}

// yieldFrame does nothing natively, for the same reason.
func yieldFrame() {}
