package cpu

import (
	"math"
	"math/cmplx"
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
