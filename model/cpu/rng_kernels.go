package cpu

import (
	"math"
	"math/bits"

	"flowsphere/model/cpu/pool"
)

// Philox4x32-10 constants (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as
// 1, 2, 3", SC 2011; as in Random123). shaders/rng.wgsl holds the same values.
const (
	philoxM0     = 0xD2511F53 // multiplier of counter word 0
	philoxM1     = 0xCD9E8D57 // multiplier of counter word 2
	philoxW0     = 0x9E3779B9 // key word 0 bump per round (golden ratio)
	philoxW1     = 0xBB67AE85 // key word 1 bump per round (sqrt(3) − 1)
	philoxRounds = 10
)

// philox4x32 is the Philox4x32-10 bijection of counter ctr under key.
func philox4x32(ctr [4]uint32, key [2]uint32) [4]uint32 {
	for round := range philoxRounds {
		if round > 0 {
			key[0] += philoxW0
			key[1] += philoxW1
		}
		hi0, lo0 := bits.Mul32(philoxM0, ctr[0])
		hi1, lo1 := bits.Mul32(philoxM1, ctr[2])
		ctr = [4]uint32{hi1 ^ ctr[1] ^ key[0], lo1, hi0 ^ ctr[3] ^ key[1], lo0}
	}
	return ctr
}

// philoxBlock returns the four words of block b of the stream (seed, counter): the counter
// is (b low, b high, counter low, counter high) and the key (seed low, seed high).
func philoxBlock(seed, counter, b uint64) [4]uint32 {
	return philox4x32(
		[4]uint32{uint32(b), uint32(b >> 32), uint32(counter), uint32(counter >> 32)},
		[2]uint32{uint32(seed), uint32(seed >> 32)})
}

// philoxFill fills out with the stream (seed, counter). Element i comes from block i/4:
// uniform draws are uniform24 of word i%4; normal draws are boxMuller of the word pair
// (0, 1) for i%4 < 2 and (2, 3) otherwise, the cosine branch for even i and the sine branch
// for odd i. The mapping is float32 maths, so T = float64 gets the same float32 values.
func philoxFill[T Float](out []T, seed, counter uint64, normal bool) {
	pool.Run((len(out)+3)/4, 1<<12, philoxTask[T]{out, seed, counter, normal})
}

type philoxTask[T Float] struct {
	out           []T
	seed, counter uint64
	normal        bool
}

// run fills the blocks [lo, hi) of four elements.
func (t *philoxTask[T]) Run(_ *pool.Worker, lo, hi int) {
	for b := lo; b < hi; b++ {
		w := philoxBlock(t.seed, t.counter, uint64(b))
		var v [4]float32
		if t.normal {
			v[0], v[1] = boxMuller(w[0], w[1])
			v[2], v[3] = boxMuller(w[2], w[3])
		} else {
			for j, x := range w {
				v[j] = uniform24(x)
			}
		}
		for j := 0; j < 4 && 4*b+j < len(t.out); j++ {
			t.out[4*b+j] = T(v[j])
		}
	}
}

// uniform24 maps a word to [0, 1): its top 24 bits times 2^-24, exact in float32.
func uniform24(w uint32) float32 { return float32(w>>8) * 0x1p-24 }

// boxMuller turns two words into two independent standard normals r·cos θ and r·sin θ with
// r = sqrt(−2·ln u1), u1 = (top 24 bits of w0 + 1)·2^-24 in (0, 1] (never log 0), and
// θ = π·s, s = (top 24 bits of w1)·2^-23 − 1 in [−1, 1). Every step is float32 arithmetic
// with log32 and sinCosPi32 instead of library calls, so the GPU kernel (which does the same)
// agrees to a few ulp on any device.
func boxMuller(w0, w1 uint32) (z0, z1 float32) {
	u1 := (float32(w0>>8) + 1) * 0x1p-24
	s := float32(w1>>8)*0x1p-23 - 1
	r := float32(math.Sqrt(float64(-2 * log32(u1)))) // float64 sqrt rounds to the float32 sqrt
	cos, sin := sinCosPi32(s)
	return r * cos, r * sin
}

// log32 is musl's logf for positive normal x, in float32 arithmetic (error below 1 ulp):
// x = 2^k·(1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)), log(1 + f) from s = f/(2 + f).
func log32(x float32) float32 {
	const (
		ln2Hi = 0.6931381 // ln 2 split: ln2Hi has trailing zero bits, so k·ln2Hi is exact
		ln2Lo = 9.058001e-06
		lg1   = 0.6666666 // minimax coefficients of log(1+f) in s
		lg2   = 0.40000972
		lg3   = 0.28498787
		lg4   = 0.24279079
	)
	ix := math.Float32bits(x) + (0x3f800000 - 0x3f3504f3)
	k := float32(int32(ix>>23) - 0x7f)
	f := math.Float32frombits(ix&0x007fffff+0x3f3504f3) - 1
	s := f / (2 + f)
	z := s * s
	w := z * z
	r := z*(lg1+w*lg3) + w*(lg2+w*lg4)
	hfsq := 0.5 * f * f
	return s*(hfsq+r) + k*ln2Lo - hfsq + f + k*ln2Hi
}

// sinCosPi32 returns cos(π·s) and sin(π·s) for s in [−1, 1] in float32 arithmetic: s is
// split exactly into a quarter turn q/2 and t in [−1/4, 1/4], where Taylor polynomials in t
// are accurate to 3e-8 before rounding.
func sinCosPi32(s float32) (cos, sin float32) {
	const (
		s1  = 3.1415927 // (−1)^k·π^(2k+1)/(2k+1)!
		s3  = -5.1677127
		s5  = 2.550164
		s7  = -0.5992645
		s9  = 0.082145885
		c2  = -4.934802 // (−1)^k·π^(2k)/(2k)!
		c4  = 4.058712
		c6  = -1.3352628
		c8  = 0.23533063
		c10 = -0.02580689
	)
	q := float32(math.RoundToEven(float64(2 * s))) // WGSL round() also rounds half to even
	t := s - 0.5*q
	t2 := t * t
	st := t * (s1 + t2*(s3+t2*(s5+t2*(s7+t2*s9))))
	ct := 1 + t2*(c2+t2*(c4+t2*(c6+t2*(c8+t2*c10))))
	switch int32(q) & 3 { // the quarter turn q mod 4
	case 1:
		return -st, ct
	case 2:
		return -ct, -st
	case 3:
		return st, -ct
	}
	return ct, st
}
