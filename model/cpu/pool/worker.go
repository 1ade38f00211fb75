package pool

// Worker is one pool thread's scratch, which the task running on it may use until Run
// returns. The buffers grow to the largest request and are then reused.
type Worker struct {
	wake  chan struct{} // one send per loop to help with
	f32   []float32
	f64   []float64
	slots map[any]any // Slot's values by type
}

// Float32s returns n float32s of w's scratch with undefined contents.
func (w *Worker) Float32s(n int) []float32 {
	w.f32 = Grow(w.f32, n)
	return w.f32
}

// Float64s returns n float64s of w's scratch with undefined contents.
func (w *Worker) Float64s(n int) []float64 {
	w.f64 = Grow(w.f64, n)
	return w.f64
}

// Slot returns w's value of type K, zero the first time and then as the last task on w
// left it: a place on the heap that a task reuses, such as the argument block of a call
// into C, whose address must not be taken of a stack value.
func Slot[K any](w *Worker) *K {
	if w.slots == nil {
		w.slots = map[any]any{}
	}
	return slotIn[K](w.slots)
}

// Grow returns buf resliced to n elements, reallocated (contents lost) when too small.
func Grow[E any](buf []E, n int) []E {
	if cap(buf) < n {
		return make([]E, n)
	}
	return buf[:n]
}
