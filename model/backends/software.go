package backends

import (
	"strings"

	"flowsphere/model/tensor"
)

// softwareRasterisers are names in the adapter descriptions of WebGPU implementations that
// run on the CPU: Chromium's SwiftShader and Mesa's llvmpipe and its Vulkan driver lavapipe.
var softwareRasterisers = []string{"swiftshader", "llvmpipe", "lavapipe"}

// Software reports whether a WebGPU adapter runs on the CPU: its type says so (natively), or
// its description (adapter) names a known software rasteriser (browsers report no type).
// There the CPU backend may well be faster.
func Software(info tensor.DeviceInfo) bool {
	if info.Type == "cpu" {
		return true
	}
	name := strings.ToLower(info.Adapter)
	for _, s := range softwareRasterisers {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}
