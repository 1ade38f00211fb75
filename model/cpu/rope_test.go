package cpu

import (
	"math"
	"math/cmplx"
	"slices"
	"testing"
)

// TestRoPE2DGradient checks that the inverse rotation is the backward of the forward one.
func TestRoPE2DGradient(t *testing.T) {
	for i, s := range attnShapes {
		t.Run(s.name, func(t *testing.T) {
			rng := newRand(uint64(30 + i))
			x, g := randn(rng, s.n(), 1), randn(rng, s.n(), 1)
			out, dx := make([]float64, s.n()), make([]float64, s.n())
			rope2D(dx, g, s.batch, s.tokens, s.heads, s.dh, s.gridH, s.gridW, s.base, true)
			loss := func() float64 {
				rope2D(out, x, s.batch, s.tokens, s.heads, s.dh, s.gridH, s.gridW, s.base, false)
				return dot(g, out)
			}
			gradCheck(t, loss, [][]float64{x}, [][]float64{dx}, 1e-7)
		})
	}
}

// TestRoPE2DPositions checks a 2×3 grid against angles written out by hand: with dh = 8 and
// base 100 the four pairs turn by row, row/10, col and col/10 radians.
func TestRoPE2DPositions(t *testing.T) {
	const tokens, heads, dh, gridH, gridW = 6, 2, 8, 2, 3
	x := randn(newRand(4), tokens*heads*dh, 1)
	for _, inverse := range []bool{false, true} {
		out := make([]float64, len(x))
		rope2D(out, x, 1, tokens, heads, dh, gridH, gridW, 100, inverse)
		for tok := range tokens {
			row, col := float64(tok/gridW), float64(tok%gridW)
			angles := [4]float64{row, row / 10, col, col / 10}
			for h := range heads {
				for p, a := range angles {
					if inverse {
						a = -a
					}
					o := (tok*heads+h)*dh + 2*p
					want := complex(x[o], x[o+1]) * cmplx.Rect(1, a)
					if cmplx.Abs(complex(out[o], out[o+1])-want) > 1e-12 {
						t.Fatalf("inverse=%v token %d head %d pair %d: got (%g, %g), want %v", inverse, tok, h, p, out[o], out[o+1], want)
					}
				}
			}
		}
	}
}

// TestRoPE2DInvariants checks that rotations keep every pair's norm and that token t and
// t + gridH·gridW (the same cell in the next segment) turn identically.
func TestRoPE2DInvariants(t *testing.T) {
	const batch, heads, dh, gridH, gridW = 2, 3, 16, 3, 2
	const cells = gridH * gridW
	const tokens = 2*cells + 1
	rng := newRand(5)
	x := randn(rng, batch*tokens*heads*dh, 2)
	for b := range batch {
		for tok := cells; tok < tokens; tok++ {
			copy(x[headRow(b, tok, 0, tokens, heads, dh):][:heads*dh], x[headRow(b, tok-cells, 0, tokens, heads, dh):][:heads*dh])
		}
	}
	out := make([]float64, len(x))
	rope2D(out, x, batch, tokens, heads, dh, gridH, gridW, 10000, false)
	for p := 0; p < len(x); p += 2 {
		if a, b := math.Hypot(x[p], x[p+1]), math.Hypot(out[p], out[p+1]); math.Abs(a-b) > 1e-12*max(1, a) {
			t.Fatalf("pair at %d: norm %g became %g", p, a, b)
		}
	}
	for b := range batch {
		for tok := cells; tok < tokens; tok++ {
			o, prev := headRow(b, tok, 0, tokens, heads, dh), headRow(b, tok-cells, 0, tokens, heads, dh)
			for d := range heads * dh {
				if out[o+d] != out[prev+d] {
					t.Fatalf("batch %d token %d element %d: %g, but token %d gave %g", b, tok, d, out[o+d], tok-cells, out[prev+d])
				}
			}
		}
	}
}

// TestRoPE2DRejectsOddQuarters checks the clear panic for a head dim that is not a multiple of 4.
func TestRoPE2DRejectsOddQuarters(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("RoPE2D with dh = 6 did not panic")
		}
	}()
	be := New()
	x := be.New(1, 1, 1, 6)
	be.RoPE2D(be.New(1, 1, 1, 6), x, 1, 1, 1, 6, 1, 1, 10000, false)
}

// TestRoPE2DFloat32 checks float32 rows, rotated in vector lanes where the build has them,
// against float64 rows, forward and inverse, at head widths with and without whole vectors.
func TestRoPE2DFloat32(t *testing.T) {
	const batch, tokens, heads, gridH, gridW = 2, 7, 2, 2, 3
	for _, dh := range []int{8, 16, 32} {
		for _, inverse := range []bool{false, true} {
			x := randn(newRand(uint64(dh)), batch*tokens*heads*dh, 1)
			want := make([]float64, len(x))
			rope2D(want, x, batch, tokens, heads, dh, gridH, gridW, 100, inverse)
			x32, got := make([]float32, len(x)), make([]float32, len(x))
			for i, v := range x {
				x32[i] = float32(v)
			}
			rope2D(got, x32, batch, tokens, heads, dh, gridH, gridW, 100, inverse)
			for i := range want {
				if math.Abs(float64(got[i])-want[i]) > 1e-6*(1+math.Abs(want[i])) {
					t.Fatalf("dh %d inverse %v element %d: float32 %g, float64 %g", dh, inverse, i, got[i], want[i])
				}
			}
		}
	}
}

// qkShapes are QK-norm and RoPE calls: one row of one head, a grid the tokens repeat, and
// several heads of 16.
var qkShapes = []struct {
	name                                   string
	batch, tokens, heads, dh, gridH, gridW int
}{
	{"1 row 1 head dh 4", 1, 1, 1, 4, 1, 1},
	{"batch 2 T=7 on 2x3, 2 heads of 8", 2, 7, 2, 8, 2, 3},
	{"T=4 on 2x2, 3 heads of 16", 1, 4, 3, 16, 2, 2},
}

// TestQKNormRoPEGradient checks qkNormRoPEBackward's input gradient and both gains'
// gradients against central differences of qkNormRoPE in float64.
func TestQKNormRoPEGradient(t *testing.T) {
	for i, s := range qkShapes {
		t.Run(s.name, func(t *testing.T) {
			rng := newRand(uint64(60 + i))
			rows, e := s.batch*s.tokens, s.heads*s.dh
			qkv, w := randn(rng, rows*3*e, 1), randn(rng, 3*rows*e, 1)
			gq, gk := randn(rng, s.dh, 1), randn(rng, s.dh, 1)
			// The gain gradients accumulate: start them from junk and subtract it afterwards.
			junk := randn(rng, s.dh, 1)
			dgq, dgk := append([]float64(nil), junk...), append([]float64(nil), junk...)
			out, rstd, dqkv := make([]float64, 3*rows*e), make([]float64, 2*rows*s.heads), make([]float64, rows*3*e)
			loss := func() float64 {
				qkNormRoPE(out, rstd, qkv, gq, gk, s.batch, s.tokens, s.heads, s.dh, s.gridH, s.gridW, 100, 1e-6)
				return dot(w, out)
			}
			loss()
			qkNormRoPEBackward(dqkv, dgq, dgk, w, qkv, gq, gk, rstd, s.batch, s.tokens, s.heads, s.dh, s.gridH, s.gridW, 100)
			for c := range junk {
				dgq[c] -= junk[c]
				dgk[c] -= junk[c]
			}
			gradCheck(t, loss, [][]float64{qkv, gq, gk}, [][]float64{dqkv, dgq, dgk}, 1e-6)
		})
	}
}

// TestQKNormRoPEComposes checks that qkNormRoPE is rmsNorm over each head vector followed
// by rope2D, and copies v, to the bit: the fused op adds no maths of its own.
func TestQKNormRoPEComposes(t *testing.T) {
	for i, s := range qkShapes {
		rng := newRand(uint64(70 + i))
		rows, e := s.batch*s.tokens, s.heads*s.dh
		qkv, gq, gk := randn(rng, rows*3*e, 2), randn(rng, s.dh, 1), randn(rng, s.dh, 1)
		got, rstd := make([]float64, 3*rows*e), make([]float64, 2*rows*s.heads)
		qkNormRoPE(got, rstd, qkv, gq, gk, s.batch, s.tokens, s.heads, s.dh, s.gridH, s.gridW, 100, 1e-6)
		for part, gain := range [][]float64{gq, gk, nil} {
			x := make([]float64, rows*e)
			for r := range rows {
				copy(x[r*e:][:e], qkv[r*3*e+part*e:][:e])
			}
			want := x
			if gain != nil {
				normed, wantRstd := make([]float64, rows*e), make([]float64, rows*s.heads)
				rmsNorm(normed, wantRstd, x, gain, rows*s.heads, s.dh, 1e-6)
				want = make([]float64, rows*e)
				rope2D(want, normed, s.batch, s.tokens, s.heads, s.dh, s.gridH, s.gridW, 100, false)
				if !slices.Equal(rstd[part*rows*s.heads:][:rows*s.heads], wantRstd) {
					t.Errorf("%s part %d: rstd differs from rmsNorm's", s.name, part)
				}
			}
			if !slices.Equal(got[part*rows*e:][:rows*e], want) {
				t.Errorf("%s part %d: differs from rmsNorm and rope2D", s.name, part)
			}
		}
	}
}
