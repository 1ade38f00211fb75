//go:build !js

package shaders

// waitIdle waits until the device has finished all submitted work, so that Close destroys
// nothing that still runs: releasing the device itself waits only 5 s (poll.go).
func (r *Runtime) waitIdle() { r.pollUntil(func(queueEmpty bool) bool { return queueEmpty }) }
