package refiner

import (
	"slices"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
)

// TestInitOutputIsZero: as New makes it, the output linear is zero (the zero init of
// the final layer, DESIGN.md §4.3), so the refiner predicts exactly x̂ = 0 whatever its inputs.
func TestInitOutputIsZero(t *testing.T) {
	b := cpu.New()
	r := newRig(b, tinyConfig(t), 2, initParams, 1)
	a := r.ref.NewActs(b, r.batch)
	r.ref.Forward(b, a, r.x, r.hidden, r.latent, r.t)
	for i, v := range tensortest.Download(t, b, a.Pred()) {
		if v != 0 {
			t.Fatalf("x̂[%d] = %g at init, want 0", i, v)
		}
	}
}

// TestZeroModulationSeesOnlyXt: with every parameter random except the adaLN modulation
// linears (zero, as at init), every gate is zero, so the blocks are the identity and the
// final layer is RMSNorm → linear of the image tokens: x̂ depends on x_t alone, bit for bit.
func TestZeroModulationSeesOnlyXt(t *testing.T) {
	// fresh replaces one input with new random values of the same shape.
	fresh := func(b tensor.Backend, r *rig, x *tensor.Tensor) *tensor.Tensor {
		return r.upload(b, 1, x.Shape...)
	}
	cases := []struct {
		name    string
		change  func(b tensor.Backend, r *rig, in *inputs)
		changes bool
	}{
		{"hidden", func(b tensor.Backend, r *rig, in *inputs) { in.hidden = fresh(b, r, in.hidden) }, false},
		{"latent", func(b tensor.Backend, r *rig, in *inputs) { in.latent = fresh(b, r, in.latent) }, false},
		{"t", func(b tensor.Backend, r *rig, in *inputs) { in.t = []float32{0.9, 0.05} }, false},
		{"x_t", func(b tensor.Backend, r *rig, in *inputs) { in.xt = fresh(b, r, in.xt) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := cpu.New()
			r := newRig(b, tinyConfig(t), 2, zeroModParams, 2)
			a := r.ref.NewActs(b, r.batch)
			in := inputs{r.x, r.hidden, r.latent, r.t}
			r.ref.Forward(b, a, in.xt, in.hidden, in.latent, in.t)
			base := tensortest.Download(t, b, a.Pred())
			tc.change(b, r, &in)
			r.ref.Forward(b, a, in.xt, in.hidden, in.latent, in.t)
			got := tensortest.Download(t, b, a.Pred())
			if same := slices.Equal(base, got); same == tc.changes {
				t.Fatalf("changing %s: output changed = %v, want %v", tc.name, !same, tc.changes)
			}
		})
	}
}

// inputs are the arguments of one Forward call.
type inputs struct {
	xt, hidden, latent *tensor.Tensor
	t                  []float32
}
