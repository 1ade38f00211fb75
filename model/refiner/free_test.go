package refiner

import (
	"testing"

	"flowsphere/model/cpu"
)

// TestFreeReleasesAll: a flow step, a sampler and the backward temporaries, once used and
// freed, leave the backend's live storage where it was.
func TestFreeReleasesAll(t *testing.T) {
	b := cpu.New()
	sr := newSamplerRig(b, t, 13)
	before := b.Memory()
	fs := sr.ref.NewFlowStep(b, sr.batch)
	s := sr.ref.NewSampler(b, sr.batch)
	sr.ref.SetTimes(b, fs, sr.t)
	sr.ref.FlowForward(b, fs, sr.x, sr.xDec, sr.hidden, sr.latent)
	sr.ref.FlowBackward(b, fs, nil)
	sr.ref.Sample(b, s, sr.out, sr.x0, sr.hidden, sr.latent, sr.eps)
	if used := b.Memory(); used.Buffers <= before.Buffers {
		t.Fatalf("no storage allocated: %+v then %+v", before, used)
	}
	fs.Free(b)
	s.Free(b)
	sr.ref.Free(b)
	if after := b.Memory(); after != before {
		t.Fatalf("after Free: %+v live, before: %+v", after, before)
	}
}
