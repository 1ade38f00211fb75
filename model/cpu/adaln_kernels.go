package cpu

import "flowsphere/model/cpu/pool"

// modulate computes out[b,t,:] = in[b,t,:]·(1 + mod[b,scaleOff:]) + mod[b,shiftOff:].
// out, in: [batch, tokens, c]; mod: [batch, m].
func modulate[T Float](out, in, mod []T, batch, tokens, c, m, shiftOff, scaleOff int) {
	pool.Run(batch*tokens, max(1, 4096/max(c, 1)), modulateTask[T]{out, in, mod, tokens, c, m, shiftOff, scaleOff})
}

type modulateTask[T Float] struct {
	out, in, mod                     []T
	tokens, c, m, shiftOff, scaleOff int
}

func (t *modulateTask[T]) Run(_ *pool.Worker, lo, hi int) {
	c, m := t.c, t.m
	for row := lo; row < hi; row++ {
		b := row / t.tokens
		shift, scale := t.mod[b*m+t.shiftOff:][:c], t.mod[b*m+t.scaleOff:][:c]
		x, y := t.in[row*c:(row+1)*c], t.out[row*c:(row+1)*c]
		for i, v := range x {
			y[i] = T(float64(v)*(1+float64(scale[i])) + float64(shift[i]))
		}
	}
}

// gateResidual computes out[b,t,:] = x[b,t,:] + mod[b,gateOff:]·y[b,t,:].
// out, x, y: [batch, tokens, c]; mod: [batch, m].
func gateResidual[T Float](out, x, y, mod []T, batch, tokens, c, m, gateOff int) {
	pool.Run(batch*tokens, max(1, 4096/max(c, 1)), gateResidualTask[T]{out, x, y, mod, tokens, c, m, gateOff})
}

type gateResidualTask[T Float] struct {
	out, x, y, mod        []T
	tokens, c, m, gateOff int
}

func (t *gateResidualTask[T]) Run(_ *pool.Worker, lo, hi int) {
	c, m := t.c, t.m
	for row := lo; row < hi; row++ {
		b := row / t.tokens
		gate := t.mod[b*m+t.gateOff:][:c]
		o, xr, yr := t.out[row*c:(row+1)*c], t.x[row*c:(row+1)*c], t.y[row*c:(row+1)*c]
		for i, v := range yr {
			o[i] = T(float64(xr[i]) + float64(gate[i])*float64(v))
		}
	}
}

// adalnBackward is the backward of both adaLN ops, which scale a per-token input by a
// per-batch chunk of mod: dx[b,t,:] = g[b,t,:]·(one + mod[b,mulOff:]) and
// dMod[b,mulOff:] = Σ_t g·x, plus dMod[b,shiftOff:] = Σ_t g when shiftOff ≥ 0.
// normModulate's backward has one = 1 and a shift; GateResidual's has one = 0 and none.
// dx, g, x: [batch, tokens, c]; dMod, mod: [batch, m]. Sums are in float64.
func adalnBackward[T Float](dx, dMod, g, x, mod []T, batch, tokens, c, m, mulOff, shiftOff int, one float64) {
	pool.Run(batch, 1, adalnBackwardTask[T]{dx, dMod, g, x, mod, tokens, c, m, mulOff, shiftOff, one})
}

type adalnBackwardTask[T Float] struct {
	dx, dMod, g, x, mod            []T
	tokens, c, m, mulOff, shiftOff int
	one                            float64
}

func (t *adalnBackwardTask[T]) Run(w *pool.Worker, lo, hi int) {
	c, m := t.c, t.m
	sums := w.Float64s(2 * c)
	mulSum, shiftSum := sums[:c], sums[c:]
	for b := lo; b < hi; b++ {
		clear(sums)
		mul := t.mod[b*m+t.mulOff:][:c]
		for tok := range t.tokens {
			o := (b*t.tokens + tok) * c
			mulAffine(t.dx[o:o+c], t.g[o:o+c], mul, 1, t.one)
		}
		item := b * t.tokens * c
		columnSums(mulSum, t.g[item:], t.x[item:], nil, t.tokens, c)
		columnSums(shiftSum, t.g[item:], nil, nil, t.tokens, c)
		for i := range c {
			t.dMod[b*m+t.mulOff+i] = T(mulSum[i])
			if t.shiftOff >= 0 {
				t.dMod[b*m+t.shiftOff+i] = T(shiftSum[i])
			}
		}
	}
}
