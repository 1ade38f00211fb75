package cpu

// worker is one pool thread's scratch, which the task running on it may use until run
// returns. The buffers grow to the largest request and are then reused.
type worker struct {
	wake chan struct{} // one send per region to help with
	f32  []float32
	f64  []float64

	sgemm sgemmArgs // the argument block of the sgemm calls this thread makes
}

// float32s returns n float32s of w's scratch with undefined contents.
func (w *worker) float32s(n int) []float32 {
	w.f32 = grow(w.f32, n)
	return w.f32
}

// float64s returns n float64s of w's scratch with undefined contents.
func (w *worker) float64s(n int) []float64 {
	w.f64 = grow(w.f64, n)
	return w.f64
}

// grow returns buf resliced to n elements, reallocated (contents lost) when too small.
func grow[E any](buf []E, n int) []E {
	if cap(buf) < n {
		return make([]E, n)
	}
	return buf[:n]
}
