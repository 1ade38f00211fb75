package engine

import (
	"math"
	"math/rand/v2"
)

// Sphere maths on the host, in float64: walks and neighbours move at most [GridSize, L]
// values with L ≤ 256, far too little to be worth device round trips. Points lie on the
// sphere of radius sqrt(L), where the model's spherify puts them.

// spherify scales v in place to norm sqrt(len(v)). A zero vector stays zero.
func spherify(v []float64) {
	ss := norm2(v)
	if ss == 0 {
		return
	}
	s := math.Sqrt(float64(len(v)) / ss)
	for i := range v {
		v[i] *= s
	}
}

// randomPoint fills dst with a uniformly random point on the sphere: spherify(N(0, I)), as
// the generator draws them.
func randomPoint(dst []float32, rng *rand.Rand) {
	v := make([]float64, len(dst))
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	spherify(v)
	narrow(dst, v)
}

// slerp writes the point a fraction t along the great circle from a to b (both on the
// sphere) into dst.
func slerp(dst, a, b []float32, t float64) {
	L := float64(len(a))
	dot := 0.0
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	omega := math.Acos(max(-1, min(1, dot/L)))
	wa, wb := 1-t, t // nearly equal points: the straight line is the arc
	if s := math.Sin(omega); s > 1e-6 {
		wa, wb = math.Sin((1-t)*omega)/s, math.Sin(t*omega)/s
	}
	v := make([]float64, len(a))
	for i := range v {
		v[i] = wa*float64(a[i]) + wb*float64(b[i])
	}
	spherify(v) // removes float32 drift so the model sees an exact sphere point
	narrow(dst, v)
}

// neighbour writes a random point at the given angle from centre into dst:
// spherify(cos θ·c + sin θ·u), u a random direction orthogonal to c on the same sphere.
func neighbour(dst, centre []float32, degrees float64, rng *rand.Rand) {
	L := float64(len(centre))
	if len(centre) < 2 { // no direction is orthogonal to a point on a 0-sphere
		copy(dst, centre)
		return
	}
	u := make([]float64, len(centre))
	dot := 0.0
	for i := range u {
		u[i] = rng.NormFloat64()
		dot += u[i] * float64(centre[i])
	}
	// Gram–Schmidt against the centre, whose squared norm is L.
	for i := range u {
		u[i] -= dot / L * float64(centre[i])
	}
	spherify(u)
	theta := degrees * math.Pi / 180
	c, s := math.Cos(theta), math.Sin(theta)
	for i := range u {
		u[i] = c*float64(centre[i]) + s*u[i]
	}
	spherify(u)
	narrow(dst, u)
}

// norm2 is the squared norm of v.
func norm2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return s
}

// narrow converts src to float32 into dst.
func narrow(dst []float32, src []float64) {
	for i, x := range src {
		dst[i] = float32(x)
	}
}
