package tensor

import "errors"

// ErrDeviceLost is wrapped by the errors of a backend whose device is gone (a GPU reset, a
// driver update, the browser reclaiming the GPU): none of its tensors is usable again, and
// the caller may open a new backend and upload its data from the host.
var ErrDeviceLost = errors.New("the GPU device was lost")

// LossReporter is a backend whose device can be lost (the WebGPU backend).
type LossReporter interface {
	// Lost returns an error wrapping ErrDeviceLost once the device is known to be lost,
	// else nil.
	Lost() error
}
