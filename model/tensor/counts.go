package tensor

// WorkCounts is the work a device backend has recorded and run since it opened: kernel
// dispatches, command submissions and readbacks to the host (each of which waits for the
// device to finish everything before it).
type WorkCounts struct {
	Dispatches, Submissions, Readbacks int
}

// Sub is the work done between an earlier count and c.
func (c WorkCounts) Sub(earlier WorkCounts) WorkCounts {
	return WorkCounts{c.Dispatches - earlier.Dispatches, c.Submissions - earlier.Submissions, c.Readbacks - earlier.Readbacks}
}

// WorkCounter is a backend that counts its work (the WebGPU backend); a CPU backend runs
// each op when it is called and has nothing to count.
type WorkCounter interface {
	WorkCounts() WorkCounts
}
