package weights

import "math"

// ToF16 converts f to IEEE 754 half precision, rounding to nearest with
// ties to even, subnormals included. Values beyond ±65504 (from 65520 on,
// which rounds up) become ±Inf and NaN stays NaN: callers that must not
// lose values check the result (Encode does).
func ToF16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	abs := b & 0x7fffffff
	switch {
	case abs > 0x7f800000: // NaN: keep it a quiet NaN
		return sign | 0x7e00
	case abs >= 0x477ff000: // 65520 and up round past 65504
		return sign | 0x7c00
	case abs >= 0x38800000: // 2^-14 and up: normal in F16
		// Rebias the exponent from 127 to 15, then round away the low 13
		// mantissa bits; a carry into the exponent is the right result.
		m := abs - 0x38000000
		return sign | uint16((m+0xfff+(m>>13)&1)>>13)
	case abs < 0x33000000: // below 2^-25: rounds to zero
		return sign
	}
	// Subnormal in F16: the value is mant·2^(e-150), in units of 2^-24
	// that is mant >> (126-e), with 14 ≤ 126-e ≤ 24 here.
	e := abs >> 23
	mant := abs&0x7fffff | 0x800000
	shift := 126 - e
	r := mant >> shift
	rem := mant & (1<<shift - 1)
	half := uint32(1) << (shift - 1)
	if rem > half || rem == half && r&1 == 1 {
		r++
	}
	return sign | uint16(r)
}

// FromF16 converts an IEEE 754 half-precision value to float32 exactly.
func FromF16(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch exp {
	case 0: // zero or subnormal: mant·2^-24, exact in float32
		v := float32(mant) * (1.0 / (1 << 24))
		return math.Float32frombits(math.Float32bits(v) | sign)
	case 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
}

// ToBF16 converts f to bfloat16, rounding to nearest with ties to even.
// Values that round past the largest bfloat16 become ±Inf; NaN stays NaN.
func ToBF16(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 {
		return uint16(b>>16) | 0x40 // NaN: keep it a quiet NaN
	}
	return uint16((b + 0x7fff + (b>>16)&1) >> 16)
}

// FromBF16 converts a bfloat16 value to float32 exactly.
func FromBF16(h uint16) float32 {
	return math.Float32frombits(uint32(h) << 16)
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float32) bool {
	return math.Float32bits(v)&0x7f800000 != 0x7f800000
}
