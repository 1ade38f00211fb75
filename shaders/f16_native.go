//go:build !js

package shaders

import "github.com/cogentcore/webgpu/wgpu"

// f16Probe is the least module that uses WGSL's f16 type.
const f16Probe = "enable f16;\n@compute @workgroup_size(1) fn probe() { let h = f16(1.5); }\n"

// f16Features are the features to ask the device for: shader-f16 where the adapter lists it.
func f16Features(a *wgpu.Adapter) []wgpu.FeatureName {
	if a.HasFeature(wgpu.FeatureNameShaderF16) {
		return []wgpu.FeatureName{wgpu.FeatureNameShaderF16}
	}
	return nil
}

// hasF16 says whether the device runs WGSL's f16 type: it has shader-f16 and the bundled
// compiler takes the type, which a feature alone does not promise (v0.23.0's rejects
// `enable f16`, so lavapipe's feature goes unused here).
func (r *Runtime) hasF16() bool {
	if !r.device.HasFeature(wgpu.FeatureNameShaderF16) {
		return false
	}
	// A refusal is expected, not an error to log: silence the library's log for the probe
	// and restore the level it starts at (it has no getter).
	wgpu.SetLogLevel(wgpu.LogLevelOff)
	defer wgpu.SetLogLevel(wgpu.LogLevelWarn)
	mod, err := r.device.CreateShaderModule(&wgpu.ShaderModuleDescriptor{
		Label:          "f16 probe",
		WGSLDescriptor: &wgpu.ShaderModuleWGSLDescriptor{Code: f16Probe},
	})
	if err != nil {
		return false
	}
	mod.Release()
	return true
}
