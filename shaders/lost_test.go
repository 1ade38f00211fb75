package shaders

import (
	"errors"
	"testing"
)

// TestReportsLoss: natively a loss is known from the error of the call that meets it, in
// wgpu-core's words; other errors leave the device working.
func TestReportsLoss(t *testing.T) {
	for _, c := range []struct {
		msg  string
		lost bool
	}{
		{"wgpu.(*Queue).WriteBuffer(): Validation Error\n\nCaused by:\n    Parent device is lost", true},
		{"wgpu.(*Device).CreateBuffer(): Device is lost", true},
		{"wgpu.(*CommandEncoder).CopyBufferToBuffer(): Validation Error\n\nCaused by:\n    Buffer Id(0,1,vk) is invalid or destroyed", false},
		{"shaders: map for read failed: error", false},
	} {
		if got := reportsLoss(errors.New(c.msg)); got != c.lost {
			t.Errorf("reportsLoss(%q) = %v, want %v", c.msg, got, c.lost)
		}
	}
}
