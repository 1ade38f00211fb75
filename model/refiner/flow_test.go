package refiner

import (
	"math"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
)

// TestFlowLossAlgebra checks one FlowForward on the CPU against host arithmetic: x_t is the
// coupling of x_start = r·ε + (1−r)·xDec and x; for t ≤ 1−TEps the velocity target
// (x − x_t)/(1−t) is x − x_start and the row's loss is mean((x̂ − x)²)/(1−t)² (divided by
// the batch, so rows sum to the mean); past 1−TEps the weight is clamped to 1/TEps².
func TestFlowLossAlgebra(t *testing.T) {
	rows := []struct {
		t       float32
		clamped bool
	}{{0, false}, {0.3, false}, {0.8, false}, {0.99, true}}
	b := cpu.New()
	cfg := tinyConfig(t)
	r := newRig(b, cfg, len(rows), randomParams, 3)
	fs := r.ref.NewFlowStep(b, r.batch)
	px := cfg.Pixels()
	b.Rand(fs.Noise(), r.batch*px, 9, 0, tensor.Normal)
	times := make([]float32, len(rows))
	for i, row := range rows {
		times[i] = row.t
	}
	r.ref.SetTimes(b, fs, times)
	r.ref.FlowForward(b, fs, r.x, r.xDec, r.hidden, r.latent)

	x, xDec, eps := tensortest.Download(t, b, r.x), tensortest.Download(t, b, r.xDec), tensortest.Download(t, b, fs.Noise())
	xt, pred := tensortest.Download(t, b, fs.xt), tensortest.Download(t, b, fs.acts.Pred())
	loss, dPred := tensortest.Download(t, b, fs.Loss()), tensortest.Download(t, b, fs.dPred)
	ratio := cfg.Ratio
	for i, row := range rows {
		tt := float64(row.t)
		oneMinus := math.Max(1-tt, cfg.TEps)
		var sq, vsq float64
		for j := i * px; j < (i+1)*px; j++ {
			xs := ratio*float64(eps[j]) + (1-ratio)*float64(xDec[j])
			if want := (1-tt)*xs + tt*float64(x[j]); math.Abs(float64(xt[j])-want) > 1e-5 {
				t.Fatalf("t=%g: x_t[%d] = %g, want %g", tt, j, xt[j], want)
			}
			d := float64(pred[j]) - float64(x[j])
			sq += d * d
			if want := 2 * d / (float64(r.batch*px) * oneMinus * oneMinus); math.Abs(float64(dPred[j])-want) > 1e-6*math.Abs(want)+1e-12 {
				t.Fatalf("t=%g: dPred[%d] = %g, want %g", tt, j, dPred[j], want)
			}
			if !row.clamped {
				// v̂ − v with v = x − x_start: the target does not depend on t.
				vTarget := (float64(x[j]) - float64(xt[j])) / (1 - tt)
				if math.Abs(vTarget-(float64(x[j])-xs)) > 1e-4*(1+math.Abs(vTarget)) {
					t.Fatalf("t=%g: velocity target %g, x − x_start = %g", tt, vTarget, float64(x[j])-xs)
				}
				dv := (float64(pred[j])-float64(xt[j]))/(1-tt) - (float64(x[j]) - xs)
				vsq += dv * dv
			}
		}
		want := sq / float64(px) / (oneMinus * oneMinus) / float64(r.batch)
		if math.Abs(float64(loss[i])-want) > 1e-5*want {
			t.Errorf("t=%g: loss %g, want mean((x̂ − x)²)/max(1−t, TEps)²/batch = %g", tt, loss[i], want)
		}
		if row.clamped != (oneMinus == cfg.TEps) {
			t.Fatalf("t=%g: test table says clamped = %v", tt, row.clamped)
		}
		if !row.clamped {
			if v := vsq / float64(px) / float64(r.batch); math.Abs(float64(loss[i])-v) > 1e-4*v {
				t.Errorf("t=%g: loss %g, v-loss against x − x_start %g", tt, loss[i], v)
			}
		}
	}
}
