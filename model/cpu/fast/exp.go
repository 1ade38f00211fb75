package fast

import "math"

// exp2Table holds 2^(i/32) for i in [0, 32), rounded to float32.
var exp2Table = func() (t [32]float32) {
	for i := range t {
		t[i] = float32(math.Exp2(float64(i) / 32))
	}
	return t
}()

// Exp32 is e^x in float32 (within 2 ulp), several times faster than math.Exp and without
// float64 conversions: x = (32·m + i)·ln2/32 + r with |r| ≤ ln2/64, e^x = 2^m · 2^(i/32) · e^r,
// 2^(i/32) from a table, e^r from its degree-4 Taylor polynomial (truncation below 2⁻²⁹),
// 2^m added to the exponent bits. Inputs below −87.3 (results below the smallest normal
// float32) give 0, inputs above 88 go to math.Exp (+Inf past 88.72), NaN stays NaN.
func Exp32(x float32) float32 {
	const (
		toUnits = 32 / 0.693147180559945309 // x in units of ln2/32
		// ln2/32 split so that n·unitHi is exact for |n| < 2¹³: 11 significant bits.
		unitHi  = 1420.0 / 65536
		unitLo  = 0.693147180559945309/32 - 1420.0/65536
		shifter = 0x1.8p23 // adding it rounds to an integer in the low mantissa bits
	)
	switch {
	case x != x:
		return x
	case x > 88: // 2^m would overflow before the table value scales it down; +Inf past 88.72
		return float32(math.Exp(float64(x)))
	case x < -87.33654:
		return 0
	}
	shifted := x*toUnits + shifter
	n := shifted - shifter
	r := (x - n*unitHi) - n*unitLo
	bits := math.Float32bits(shifted) // low 23 bits: n + 2²²
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24))))
	m := int32((bits^0x400000)<<9) >> 14 // n / 32, rounded down: the power of two
	scale := math.Float32frombits(math.Float32bits(exp2Table[bits&31]) + uint32(m)<<23)
	return p * scale
}
