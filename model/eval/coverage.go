package eval

import (
	"math"

	"flowsphere/model/classifier"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
)

// CoverageReference is the most training images whose encodings Coverage compares with.
const CoverageReference = 5000

// Coverage says how much of the sphere the encoder uses: the mean angle in degrees from
// sphere points to the nearest of Reference training encodings, for the encodings of held-out
// images (where the decoder and the refiner were trained), for random points
// v = spherify(N(0, I)), and for those points after the generator's encode→decode loops.
// Random points far beyond the held-out angle decode to images the decoder never learnt.
type Coverage struct {
	Reference int     `json:"reference"`
	HeldOut   float64 `json:"held_out_deg"`
	Random    float64 `json:"random_deg"`
	Looped    float64 `json:"looped_deg"`
}

// coverage measures Coverage for the held-out encodings held: [n][L] and as many random
// points, drawn from seed and looped by g; the encodings of the images of train are the
// reference.
func coverage(b tensor.Backend, m *gen.Model, g *gen.Generator, train classifier.Images, held [][]float32, batch int, seed uint64, add func(int)) (Coverage, error) {
	ref, err := m.Encode(b, train.N, batch, train.Fill, nil)
	if err != nil {
		return Coverage{}, err
	}
	var random, looped [][]float32
	for k := uint64(0); len(random) < len(held); k++ {
		v := g.SpherePoints(b, seed+k)
		if err := appendRows(b, &random, v, m.Cfg.L(), g.Batch()); err != nil {
			return Coverage{}, err
		}
		if err := appendRows(b, &looped, g.Project(b, v, seed+k), m.Cfg.L(), g.Batch()); err != nil {
			return Coverage{}, err
		}
	}
	refs := classifier.SliceImages(ref, m.Cfg.L())
	c := Coverage{Reference: refs.N}
	for _, q := range []struct {
		points [][]float32
		angle  *float64
	}{{held, &c.HeldOut}, {random[:len(held)], &c.Random}, {looped[:len(held)], &c.Looped}} {
		rmse, err := nearest(b, q.points, refs, add)
		if err != nil {
			return Coverage{}, err
		}
		*q.angle = meanAngle(rmse)
	}
	return c, nil
}

// meanAngle converts nearest's RMSEs between sphere points (|v|² = L, so the squared
// distance is 2L·(1 − cos θ) and nearest's [0, 1]-scale RMSE is sqrt((1 − cos θ)/2)) to their
// mean angle in degrees.
func meanAngle(rmse []float64) float64 {
	sum := 0.0
	for _, r := range rmse {
		sum += math.Acos(max(-1, min(1, 1-2*r*r)))
	}
	return sum / float64(len(rmse)) * 180 / math.Pi
}

// appendRows downloads the first rows rows of t: [≥ rows, width] onto dst.
func appendRows(b tensor.Backend, dst *[][]float32, t *tensor.Tensor, width, rows int) error {
	flat, err := b.Download(t)
	if err != nil {
		return err
	}
	for i := range rows {
		*dst = append(*dst, flat[i*width:(i+1)*width])
	}
	return nil
}
