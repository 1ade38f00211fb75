package gen

import (
	"testing"

	"flowsphere/model/cpu"
)

// TestSample checks that Sample makes exactly n images in batches and reports them all,
// that its first batch is Generate's, and that a larger n starts with a smaller n's images
// (across a batch boundary).
func TestSample(t *testing.T) {
	b := cpu.New()
	m, err := New(b, tiny(t), 3)
	if err != nil {
		t.Fatal(err)
	}
	g := m.NewGenerator(b, 2)
	first, _, _ := g.Generate(b, 7, 1, false)
	byN := map[int][][]float32{}
	for _, n := range []int{1, 3, 5} {
		reported := 0
		dec, ref, err := g.Sample(b, 7, n, 1, false, func(k int) { reported += k })
		if err != nil {
			t.Fatal(err)
		}
		if len(dec) != n || len(ref) != n || reported != n {
			t.Fatalf("n=%d: %d decodes, %d refined, %d reported", n, len(dec), len(ref), reported)
		}
		if !equal(dec[0], first[0]) {
			t.Fatalf("n=%d: the first image is not Generate's", n)
		}
		byN[n] = ref
	}
	for i := range 3 {
		if !equal(byN[3][i], byN[5][i]) {
			t.Fatalf("image %d differs between n=3 and n=5", i)
		}
	}
}
