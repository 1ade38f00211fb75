package shaders

// Counts is the work a Runtime has recorded and run since it opened: what a step costs the
// host beyond the arithmetic. Browsers spend tens of microseconds on each dispatch, each
// submission starts the GPU anew, and each readback waits for all work before it.
type Counts struct {
	Dispatches  int // kernels recorded
	Submissions int // command buffers submitted
	Readbacks   int // buffers read back to the host
}

// Counts returns the work counted so far.
func (r *Runtime) Counts() Counts {
	c := r.counts
	c.Submissions = r.submits
	return c
}
