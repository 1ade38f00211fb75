package gen

import (
	"math"
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

// TestRenoisedLoops checks the Sphere Encoder's re-noised loops: the point stays on the
// sphere, moves off the plain loop's point by about the angle asked for, and depends on the
// seed.
func TestRenoisedLoops(t *testing.T) {
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	g := m.NewGenerator(b, 2)
	g.Loops = 1
	plain, _ := b.Download(g.Project(b, g.SpherePoints(b, 5), 9))
	plain = append([]float32(nil), plain...)
	g.Renoise = 30
	noisy, _ := b.Download(g.Project(b, g.SpherePoints(b, 5), 9))
	noisy = append([]float32(nil), noisy...)
	other, _ := b.Download(g.Project(b, g.SpherePoints(b, 5), 10))
	l := m.Cfg.L()
	dot, sq := 0.0, 0.0
	for i := range l {
		dot += float64(plain[i]) * float64(noisy[i])
		sq += float64(noisy[i]) * float64(noisy[i])
	}
	angle := math.Acos(dot/float64(l)) * 180 / math.Pi
	if math.Abs(sq-float64(l)) > 1e-3*float64(l) || angle < 15 || angle > 45 || equal(noisy[:l], other[:l]) {
		t.Fatalf("|v|² = %g (want %d), %.1f° from the plain loop's point (want about 30°), seeds 9 and 10 equal: %v", sq, l, angle, equal(noisy[:l], other[:l]))
	}
}
