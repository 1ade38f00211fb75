package tensor

import "fmt"

// Tensor is a dense row-major float32 array owned by one Backend. A tensor may be a view
// into another tensor's storage (Backend.View); views share memory with their parent.
type Tensor struct {
	// Shape lists the dimensions, outermost first.
	Shape []int
	// Host is the storage on the CPU backend (nil on device backends).
	Host []float32
	// Host64 is the storage on the float64 CPU backend used by gradient checks.
	Host64 []float64
	// Device is the backend-specific handle on device backends (nil on the CPU backend).
	Device any
}

// Len is the number of elements (the product of Shape).
func (t *Tensor) Len() int { return Numel(t.Shape) }

// String describes the shape, for error messages.
func (t *Tensor) String() string { return fmt.Sprintf("tensor%v", t.Shape) }

// Numel is the product of the dimensions in shape (1 for an empty shape).
func Numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
