package backends

import (
	"testing"

	"flowsphere/model/tensor"
)

func TestSoftware(t *testing.T) {
	tests := []struct {
		info tensor.DeviceInfo
		want bool
	}{
		{tensor.DeviceInfo{Adapter: "llvmpipe (LLVM 15.0.6, 256 bits)", Type: "cpu"}, true},
		{tensor.DeviceInfo{Adapter: "some future CPU adapter", Type: "cpu"}, true},
		{tensor.DeviceInfo{Adapter: "google swiftshader"}, true},
		{tensor.DeviceInfo{Adapter: "Google SwiftShader Device (Subzero)", Type: "unknown"}, true},
		{tensor.DeviceInfo{Adapter: "mesa lavapipe"}, true},
		{tensor.DeviceInfo{Adapter: "nvidia ampere", Type: "discrete-gpu"}, false},
		{tensor.DeviceInfo{Adapter: "apple metal-3"}, false},
		{tensor.DeviceInfo{}, false},
	}
	for _, tc := range tests {
		if got := Software(tc.info); got != tc.want {
			t.Errorf("Software(%+v) = %v, want %v", tc.info, got, tc.want)
		}
	}
}
