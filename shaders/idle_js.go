//go:build js

package shaders

// waitIdle does nothing in the browser: it keeps destroyed objects alive until the GPU is
// done with them, and its Poll cannot tell.
func (r *Runtime) waitIdle() {}
