package classifier

import (
	"math/rand/v2"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/data"
)

// halves is a separable two-class set of 8-pixel images: class 0 is bright in the top
// half, class 1 in the bottom half, both with pixel noise.
func halves(train, test int) *data.Set {
	const size = 8
	rng := rand.New(rand.NewPCG(11, 12))
	make1 := func(label int) data.Image {
		px := make([]uint8, 3*size*size)
		for i := range px {
			y := (i % (size * size)) / size
			v := 40 + rng.IntN(60)
			if (y < size/2) == (label == 0) {
				v += 120
			}
			px[i] = uint8(v)
		}
		return data.Image{Pixels: px, Label: label}
	}
	s := &data.Set{Name: "halves", Size: size, Classes: []string{"top", "bottom"}}
	for i := range train {
		s.Train = append(s.Train, make1(i%2))
	}
	for i := range test {
		s.Test = append(s.Test, make1(i%2))
	}
	return s
}

// tinyConfig is a classifier small enough to train in milliseconds on 8-pixel images.
func tinyConfig() Config {
	return Config{Image: 8, Channels: 3, Patch: 4, Embed: 4, Hidden: 8, Classes: 2}
}

// trained is a classifier trained on halves.
func trained(t *testing.T) (*cpu.Backend[float32], *data.Set, *Classifier, Result) {
	t.Helper()
	b, set := cpu.New(), halves(64, 32)
	o := TrainOptions{Steps: 150, Batch: 16, LR: 1e-2, WD: 0.01, Shift: 1, Seed: 3}
	c, res, err := Train(b, set, tinyConfig(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b, set, c, res
}
