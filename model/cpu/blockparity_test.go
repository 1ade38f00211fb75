package cpu_test

import (
	"math"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
)

// outputPair is one output on the reference backend and on the backend under test.
type outputPair struct {
	name      string
	want, got *tensor.Tensor
}

// TestBlockParityPaths runs a block's forward and backward on every matmul path and on the
// reference backend and compares the output and every gradient. The tolerance is that of the
// WebGPU block parity test (model/nn): float32 sums in another order through some twenty ops
// leave errors of ~1e-4 relative to each output's largest value.
func TestBlockParityPaths(t *testing.T) {
	ref := cpu.NewReference()
	want := newBlockRig(ref, 3)
	want.forwardBackward(ref)
	for _, mp := range matmulPaths {
		t.Run(mp.name, func(t *testing.T) {
			be := openPath(t, mp.path, mp.adapter)
			got := newBlockRig(be, 3)
			got.forwardBackward(be)
			outputs := []outputPair{{"out", want.acts.Out, got.acts.Out}, {"dX", want.dX, got.dX}, {"dCond", want.dCond, got.dCond}}
			for i, p := range want.set.List {
				outputs = append(outputs, outputPair{p.Name + ".grad", p.Grad, got.set.List[i].Grad})
			}
			for _, o := range outputs {
				w, g := o.want.Host, o.got.Host
				scale := 0.0
				for _, v := range w {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				for i := range w {
					if d := math.Abs(float64(w[i] - g[i])); !(d <= 1e-4*scale+1e-6) {
						t.Errorf("%s[%d] = %g, reference %g (scale %g)", o.name, i, g[i], w[i], scale)
						break
					}
				}
			}
		})
	}
}
