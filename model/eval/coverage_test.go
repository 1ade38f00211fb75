package eval

import (
	"math"
	"testing"

	"flowsphere/model/classifier"
	"flowsphere/model/cpu"
)

// TestMeanAngle checks the angle read back from nearest's RMSE between sphere points
// (|v|² = L) against points placed at known angles from their nearest reference.
func TestMeanAngle(t *testing.T) {
	const l = 4
	r := math.Sqrt(l)
	at := func(deg float64) []float32 { // on the sphere of radius sqrt(L), deg from the first axis towards the second
		a := deg * math.Pi / 180
		return []float32{float32(r * math.Cos(a)), float32(r * math.Sin(a)), 0, 0}
	}
	refs := classifier.SliceImages([][]float32{at(0), {0, 0, float32(r), 0}}, l)
	for _, tc := range []struct {
		name   string
		points [][]float32
		want   float64
	}{
		{"on a reference", [][]float32{at(0)}, 0},
		{"30 and 60 degrees", [][]float32{at(30), at(60)}, 45},
		{"orthogonal to both", [][]float32{{0, 0, 0, float32(r)}}, 90},
		{"opposite the nearer", [][]float32{at(180)}, 90},
	} {
		rmse, err := nearest(cpu.New(), tc.points, refs, func(int) {})
		if err != nil {
			t.Fatal(err)
		}
		if got := meanAngle(rmse); math.Abs(got-tc.want) > 0.05 {
			t.Errorf("%s: %.3f°, want %g°", tc.name, got, tc.want)
		}
	}
}
