package weights

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func TestHalfCases(t *testing.T) {
	pow2 := func(e int) float32 { return float32(math.Ldexp(1, e)) }
	inf := float32(math.Inf(1))
	cases := []struct {
		name string
		in   float32
		f16  uint16
		bf16 uint16
	}{
		{"one", 1, 0x3c00, 0x3f80},
		{"minus two", -2, 0xc000, 0xc000},
		{"zero", 0, 0, 0},
		{"minus zero", float32(math.Copysign(0, -1)), 0x8000, 0x8000},
		{"third", 1.0 / 3, 0x3555, 0x3eab},
		{"f16 max", 65504, 0x7bff, 0x4780},
		{"just below f16 overflow", 65519.99, 0x7bff, 0x4780},
		{"f16 overflow tie", 65520, 0x7c00, 0x4780},
		{"inf", inf, 0x7c00, 0x7f80},
		{"minus inf", -inf, 0xfc00, 0xff80},
		{"smallest f16 normal", pow2(-14), 0x0400, 0x3880},
		{"smallest f16 subnormal", pow2(-24), 0x0001, 0x3380},
		{"half the smallest subnormal ties to zero", pow2(-25), 0x0000, 0x3300},
		{"just above half the smallest subnormal", pow2(-25) * 1.0001, 0x0001, 0x3300},
		{"1.5 subnormal units tie to even 2", 1.5 * pow2(-24), 0x0002, 0x33c0},
		{"2.5 subnormal units tie to even 2", 2.5 * pow2(-24), 0x0002, 0x3420},
		{"subnormal rounds up into normal", pow2(-14) - pow2(-26), 0x0400, 0x3880},
		{"1+2^-11 ties to even 1", 1 + pow2(-11), 0x3c00, 0x3f80},
		{"1+3·2^-11 ties to even up", 1 + 3*pow2(-11), 0x3c02, 0x3f80},
		{"bf16 tie to even", 1 + pow2(-8), 0x3c04, 0x3f80},
		{"bf16 tie up", 1 + 3*pow2(-8), 0x3c0c, 0x3f82},
		{"f32 max overflows bf16", math.MaxFloat32, 0x7c00, 0x7f80},
		{"tiny", pow2(-126), 0x0000, 0x0080},
	}
	for _, c := range cases {
		if got := ToF16(c.in); got != c.f16 {
			t.Errorf("%s: ToF16(%v) = %#04x, want %#04x", c.name, c.in, got, c.f16)
		}
		if got := ToBF16(c.in); got != c.bf16 {
			t.Errorf("%s: ToBF16(%v) = %#04x, want %#04x", c.name, c.in, got, c.bf16)
		}
	}
	nan := float32(math.NaN())
	if h := ToF16(nan); h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("ToF16(NaN) = %#04x, not a NaN", h)
	}
	if h := ToBF16(nan); h&0x7f80 != 0x7f80 || h&0x7f == 0 {
		t.Errorf("ToBF16(NaN) = %#04x, not a NaN", h)
	}
	// A NaN whose payload sits only in bits that BF16 drops stays NaN.
	if h := ToBF16(math.Float32frombits(0x7f800001)); h&0x7f == 0 {
		t.Errorf("ToBF16(low-payload NaN) = %#04x, became Inf", h)
	}
}

// Every half value widens exactly and narrows back to itself.
func TestHalfExhaustive(t *testing.T) {
	for i := range 1 << 16 {
		h := uint16(i)
		for _, c := range []struct {
			name     string
			from     func(uint16) float32
			to       func(float32) uint16
			exp, man uint16
		}{
			{"F16", FromF16, ToF16, 0x7c00, 0x03ff},
			{"BF16", FromBF16, ToBF16, 0x7f80, 0x007f},
		} {
			v := c.from(h)
			isNaN := h&c.exp == c.exp && h&c.man != 0
			if isNaN != math.IsNaN(float64(v)) {
				t.Fatalf("From%s(%#04x) = %v: NaN-ness wrong", c.name, h, v)
			}
			if !isNaN && c.to(v) != h {
				t.Fatalf("To%s(From%s(%#04x)) = %#04x", c.name, c.name, h, c.to(v))
			}
		}
	}
}

// ToF16 and ToBF16 pick the nearest value, ties to even, checked against a
// sorted table of every non-negative finite value; the entry for the Inf
// pattern stands for the next power of two, where IEEE rounding overflows.
func TestHalfNearest(t *testing.T) {
	for _, c := range []struct {
		name string
		from func(uint16) float32
		to   func(float32) uint16
		inf  uint16
	}{
		{"F16", FromF16, ToF16, 0x7c00},
		{"BF16", FromBF16, ToBF16, 0x7f80},
	} {
		table := make([]float64, c.inf+1)
		for h := range table {
			table[h] = float64(c.from(uint16(h)))
		}
		table[c.inf] = 2*table[c.inf-1] - table[c.inf-2] // one more step: a power of two
		r := rand.New(rand.NewPCG(7, 11))
		for range 1 << 20 {
			// Exponents from -30 to 18 cover F16 subnormals to overflow;
			// BF16 shares float32's range so any exponent tests it.
			x := float32(math.Ldexp(1+r.Float64(), r.IntN(49)-30))
			if c.name == "BF16" {
				x = math.Float32frombits(r.Uint32() & 0x7f7fffff)
			}
			h := c.to(x)
			i := sort.SearchFloat64s(table, float64(x))
			want := uint16(min(i, int(c.inf)))
			if i > 0 && (i == len(table) || nearer(float64(x), table[i-1], table[i], i-1)) {
				want = uint16(i - 1)
			}
			if h != want {
				t.Fatalf("To%s(%v) = %#04x (%v), want %#04x (%v)", c.name, x, h, c.from(h), want, c.from(want))
			}
			if neg := c.to(-x); neg != h|0x8000 {
				t.Fatalf("To%s(-%v) = %#04x, want %#04x", c.name, x, neg, h|0x8000)
			}
		}
	}
}

// nearer reports whether x rounds to lo (at index loIdx) rather than hi:
// strictly nearer, or a tie and lo's last mantissa bit even.
func nearer(x, lo, hi float64, loIdx int) bool {
	dl, dh := x-lo, hi-x
	return dl < dh || dl == dh && loIdx%2 == 0
}
