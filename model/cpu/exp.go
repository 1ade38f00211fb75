package cpu

import "math"

// exp32 is e^x rounded to float32 (within 1 ulp), several times faster than math.Exp:
// x = n·ln 2 + r with |r| ≤ ½·ln 2, e^r from its degree-7 Taylor polynomial (truncation error
// below 2⁻³⁵, far under float32's 2⁻²⁴), 2ⁿ written into a float64's exponent bits from the rounding's low bits, one
// rounding to float32 at the end. Overflow gives +Inf, underflow 0, NaN stays NaN.
func exp32(x float32) float32 {
	const (
		log2e, ln2 = 1.44269504088896341, 0.693147180559945309
		shifter    = 0x1.8p52 // adding it rounds a small float64 to an integer in the low mantissa bits
	)
	switch {
	case x != x:
		return x
	case x > 88.72284:
		return float32(math.Inf(1))
	case x < -103.97909: // e^x rounds to 0 in float32
		return 0
	}
	shifted := float64(x)*log2e + shifter
	n := shifted - shifter // round(x·log₂e)
	r := float64(x) - n*ln2
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040)))))))
	return float32(p * math.Float64frombits((math.Float64bits(shifted)+1023)<<52))
}

// expOf is e^x at T's precision: exp32 for float32 kernels, math.Exp for the float64
// backend of the gradient checks.
func expOf[T Float](x T) T {
	if f, ok := any(x).(float32); ok {
		return T(exp32(f))
	}
	return T(math.Exp(float64(x)))
}
