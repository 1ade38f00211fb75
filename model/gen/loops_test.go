package gen

import (
	"testing"

	"flowsphere/model/cpu"
)

// TestLoops checks that each encode→decode loop decodes the encoding of the previous
// decode, that a loop changes the image, and that FromPoints leaves its points unchanged.
func TestLoops(t *testing.T) {
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	const batch = 2
	g := m.NewGenerator(b, batch)
	v := g.SpherePoints(b, 5)
	before, _ := b.Download(v)
	enc, dec := m.AE.NewEncoded(b, batch), m.AE.NewDecoded(b, batch)
	var previous []float32
	for loops := range 3 {
		g.Loops = loops
		got, _, err := g.FromPoints(b, v, 1, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		m.AE.Decode(b, dec, v)
		for range loops {
			m.AE.Encode(b, enc, dec.Image())
			m.AE.Decode(b, dec, enc.V())
		}
		want, err := images(b, dec.Image(), batch, m.Cfg.Pixels())
		if err != nil {
			t.Fatal(err)
		}
		if !equal(got[1], want[1]) {
			t.Errorf("%d loops: the decode is not D(E(…D(v)))", loops)
		}
		if previous != nil && equal(got[1], previous) {
			t.Errorf("%d loops: the same image as one loop fewer", loops)
		}
		previous = got[1]
	}
	after, _ := b.Download(v)
	if !equal(before, after) {
		t.Error("FromPoints changed its sphere points")
	}
}
