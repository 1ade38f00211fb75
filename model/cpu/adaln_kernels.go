package cpu

// modulate computes out[b,t,:] = in[b,t,:]·(1 + mod[b,scaleOff:]) + mod[b,shiftOff:].
// out, in: [batch, tokens, c]; mod: [batch, m].
func modulate[T Float](out, in, mod []T, batch, tokens, c, m, shiftOff, scaleOff int) {
	parallel(batch*tokens, max(1, 4096/max(c, 1)), func(lo, hi int) {
		for row := lo; row < hi; row++ {
			b := row / tokens
			shift, scale := mod[b*m+shiftOff:b*m+shiftOff+c], mod[b*m+scaleOff:b*m+scaleOff+c]
			x, y := in[row*c:(row+1)*c], out[row*c:(row+1)*c]
			for i, v := range x {
				y[i] = T(float64(v)*(1+float64(scale[i])) + float64(shift[i]))
			}
		}
	})
}

// gateResidual computes x[b,t,:] += mod[b,gateOff:]·y[b,t,:] in place.
// x, y: [batch, tokens, c]; mod: [batch, m].
func gateResidual[T Float](x, y, mod []T, batch, tokens, c, m, gateOff int) {
	parallel(batch*tokens, max(1, 4096/max(c, 1)), func(lo, hi int) {
		for row := lo; row < hi; row++ {
			b := row / tokens
			gate := mod[b*m+gateOff : b*m+gateOff+c]
			xr, yr := x[row*c:(row+1)*c], y[row*c:(row+1)*c]
			for i, v := range yr {
				xr[i] = T(float64(xr[i]) + float64(gate[i])*float64(v))
			}
		}
	})
}

// adalnBackward is the backward of both adaLN ops, which scale a per-token input by a
// per-batch chunk of mod: dx[b,t,:] = g[b,t,:]·(one + mod[b,mulOff:]) and
// dMod[b,mulOff:] = Σ_t g·x, plus dMod[b,shiftOff:] = Σ_t g when shiftOff ≥ 0.
// Modulate's backward has one = 1 and a shift; GateResidual's has one = 0 and none.
// dx, g, x: [batch, tokens, c]; dMod, mod: [batch, m]. Sums are in float64.
func adalnBackward[T Float](dx, dMod, g, x, mod []T, batch, tokens, c, m, mulOff, shiftOff int, one float64) {
	parallel(batch, 1, func(lo, hi int) {
		mulSum, shiftSum := make([]float64, c), make([]float64, c)
		for b := lo; b < hi; b++ {
			clear(mulSum)
			clear(shiftSum)
			mul := mod[b*m+mulOff : b*m+mulOff+c]
			for t := range tokens {
				o := (b*tokens + t) * c
				gr, xr, dr := g[o:o+c], x[o:o+c], dx[o:o+c]
				for i, gv := range gr {
					dr[i] = T(float64(gv) * (one + float64(mul[i])))
					mulSum[i] += float64(gv) * float64(xr[i])
					shiftSum[i] += float64(gv)
				}
			}
			for i := range c {
				dMod[b*m+mulOff+i] = T(mulSum[i])
				if shiftOff >= 0 {
					dMod[b*m+shiftOff+i] = T(shiftSum[i])
				}
			}
		}
	})
}
