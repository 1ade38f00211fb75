package cpu

import (
	"math"
	"math/bits"
	"testing"
)

// philoxKAT are Random123's known-answer vectors for Philox4x32-10 (kat_vectors).
var philoxKAT = []struct {
	ctr  [4]uint32
	key  [2]uint32
	want [4]uint32
}{
	{[4]uint32{0, 0, 0, 0}, [2]uint32{0, 0}, [4]uint32{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
	{[4]uint32{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, [2]uint32{0xffffffff, 0xffffffff},
		[4]uint32{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
	{[4]uint32{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, [2]uint32{0xa4093822, 0x299f31d0},
		[4]uint32{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
}

// TestPhiloxKnownAnswers checks the bijection against the published vectors.
func TestPhiloxKnownAnswers(t *testing.T) {
	for _, kat := range philoxKAT {
		if got := philox4x32(kat.ctr, kat.key); got != kat.want {
			t.Errorf("philox4x32(%08x, %08x) = %08x, want %08x", kat.ctr, kat.key, got, kat.want)
		}
	}
}

// mulHiLoHalves is the Go port of mulhilo in shaders/rng.wgsl: the 64-bit product of two
// words from 16-bit halves, since WGSL has no 64-bit integers.
func mulHiLoHalves(a, b uint32) (hi, lo uint32) {
	a0, a1, b0, b1 := a&0xffff, a>>16, b&0xffff, b>>16
	p00, p01, p10, p11 := a0*b0, a0*b1, a1*b0, a1*b1
	mid := p00>>16 + p01&0xffff + p10&0xffff // < 3·2^16: no overflow
	return p11 + p01>>16 + p10>>16 + mid>>16, a * b
}

// TestMulHiLoHalves checks the WGSL split multiply against bits.Mul32 on the Philox
// multipliers, the carry extremes and random words.
func TestMulHiLoHalves(t *testing.T) {
	edges := []uint32{0, 1, 0xffff, 0x10000, 0xffffffff, 0xfffeffff, 0x8000ffff, philoxM0, philoxM1}
	var pairs [][2]uint32
	for _, a := range edges {
		for _, b := range edges {
			pairs = append(pairs, [2]uint32{a, b})
		}
	}
	rng := newRand(11)
	for range 100000 {
		pairs = append(pairs, [2]uint32{rng.Uint32(), rng.Uint32()})
	}
	for _, p := range pairs {
		hi, lo := mulHiLoHalves(p[0], p[1])
		wantHi, wantLo := bits.Mul32(p[0], p[1])
		if hi != wantHi || lo != wantLo {
			t.Fatalf("%08x·%08x = %08x %08x, want %08x %08x", p[0], p[1], hi, lo, wantHi, wantLo)
		}
	}
}

// TestLog32 checks musl's logf port against float64 log on every 7th value u1 can take.
func TestLog32(t *testing.T) {
	worst := 0.0
	for k := uint32(0); k < 1<<24; k += 7 {
		x := (float32(k) + 1) * 0x1p-24
		got, want := float64(log32(x)), math.Log(float64(x))
		ulp := float64(math.Nextafter32(float32(math.Abs(want)), 1)) - float64(float32(math.Abs(want)))
		if math.Abs(want) < 0x1p-40 { // ln 1 = 0 exactly
			ulp = 0x1p-149
		}
		worst = math.Max(worst, math.Abs(got-want)/ulp)
	}
	t.Logf("worst error %.3f ulp", worst)
	if worst > 1 {
		t.Errorf("log32 is off by %.2f ulp", worst)
	}
}

// TestSinCosPi32 checks the quarter-turn polynomials against float64 on every value θ/π
// takes.
func TestSinCosPi32(t *testing.T) {
	worst := 0.0
	for k := uint32(0); k < 1<<24; k += 5 {
		s := float32(k)*0x1p-23 - 1
		cos, sin := sinCosPi32(s)
		wantSin, wantCos := math.Sincos(math.Pi * float64(s))
		worst = math.Max(worst, math.Max(math.Abs(float64(cos)-wantCos), math.Abs(float64(sin)-wantSin)))
	}
	t.Logf("worst error %.3g", worst)
	if worst > 1.5e-7 {
		t.Errorf("sinCosPi32 is off by %.3g", worst)
	}
}

// TestRandKnownBlock checks that block 0 of stream (0, 0) is the first known-answer vector
// under both mappings, and that a longer fill starts with the same elements.
func TestRandKnownBlock(t *testing.T) {
	w := philoxKAT[0].want
	z0, z1 := boxMuller(w[0], w[1])
	z2, z3 := boxMuller(w[2], w[3])
	for _, tc := range []struct {
		name   string
		normal bool
		want   []float32
	}{
		{"uniform", false, []float32{uniform24(w[0]), uniform24(w[1]), uniform24(w[2]), uniform24(w[3])}},
		{"normal", true, []float32{z0, z1, z2, z3}},
	} {
		for _, n := range []int{1, 3, 4, 1001} {
			out := make([]float32, n)
			philoxFill(out, 0, 0, tc.normal)
			for i := range min(n, 4) {
				if out[i] != tc.want[i] {
					t.Errorf("%s n=%d: out[%d] = %g, want %g", tc.name, n, i, out[i], tc.want[i])
				}
			}
		}
	}
}

// TestRandStreams checks that element i depends only on (seed, counter, i): a prefix of a
// longer fill, float32 and float64 alike, and that seeds and counters change every block.
func TestRandStreams(t *testing.T) {
	const n = 4099
	for _, normal := range []bool{false, true} {
		full := make([]float32, n)
		philoxFill(full, 42, 7, normal)
		part := make([]float64, 37)
		philoxFill(part, 42, 7, normal)
		for i := range part {
			if part[i] != float64(full[i]) {
				t.Fatalf("normal=%v: element %d is %g in a fill of %d, %g in a fill of %d", normal, i, part[i], len(part), full[i], n)
			}
		}
		for _, other := range []struct{ seed, counter uint64 }{{43, 7}, {42, 8}, {42 + 1<<32, 7}, {42, 7 + 1<<32}} {
			o := make([]float32, n)
			philoxFill(o, other.seed, other.counter, normal)
			for i := 0; i < n; i += 4 {
				if o[i] == full[i] && o[i+1] == full[i+1] {
					t.Fatalf("normal=%v: stream %+v repeats block %d of (42, 7)", normal, other, i/4)
				}
			}
		}
	}
}

// TestRandStatistics checks mean and variance of 1e6 draws within 5 standard errors, and the
// range of uniform draws.
func TestRandStatistics(t *testing.T) {
	const n = 1000000
	for _, tc := range []struct {
		name           string
		normal         bool
		mean, variance float64
		fourth         float64 // E[(x − mean)⁴], for the standard error of the variance
	}{
		{"normal", true, 0, 1, 3},
		{"uniform", false, 0.5, 1.0 / 12, 1.0 / 80},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := make([]float32, n)
			philoxFill(out, 0x5eed, 3, tc.normal)
			var s, s2 float64
			for _, x := range out {
				if !tc.normal && (x < 0 || x >= 1) {
					t.Fatalf("uniform draw %g outside [0, 1)", x)
				}
				d := float64(x) - tc.mean
				s += d
				s2 += d * d
			}
			mean, variance := s/n, s2/n
			if se := math.Sqrt(tc.variance / n); math.Abs(mean) > 5*se {
				t.Errorf("mean %.5f, want %.5f ± %.5f", mean+tc.mean, tc.mean, 5*se)
			}
			if se := math.Sqrt((tc.fourth - tc.variance*tc.variance) / n); math.Abs(variance-tc.variance) > 5*se {
				t.Errorf("variance %.5f, want %.5f ± %.5f", variance, tc.variance, 5*se)
			}
		})
	}
}
