// Package tensortest holds test helpers shared by the packages that run models on a
// tensor.Backend. It imports model/tensor only.
package tensortest

import (
	"testing"

	"flowsphere/model/tensor"
)

// Download runs b's queued work and returns x's elements, or fails the test.
func Download(t testing.TB, b tensor.Backend, x *tensor.Tensor) []float32 {
	t.Helper()
	v, err := b.Download(x)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
