package nn

import (
	"fmt"
	"math"
)

// SinCos2D returns the fixed 2-D sin-cos position table of a grid×grid token grid, as in
// MAE: [grid·grid, width], token t = row·grid + col. The first half of the channels encodes
// the row and the second half the column, each half as [sin(p·ω_i) ‖ cos(p·ω_i)] with
// ω_i = 10000^(−i/(width/4)), i = 0 … width/4 − 1. It is host-side: upload it once and add
// it as a constant (it has no gradient).
//
// Where the seed differs: it adds a 1-D table over the token index (twice, in the encoder);
// this design uses the 2-D table of JiT and the official Sphere code (DESIGN.md §4.6).
func SinCos2D(grid, width int) []float32 {
	if width%4 != 0 || grid <= 0 {
		panic(fmt.Sprintf("nn: sin-cos table of width %d (needs a multiple of 4) over a %d grid", width, grid))
	}
	quarter := width / 4
	table := make([]float32, grid*grid*width)
	for row := range grid {
		for col := range grid {
			tok := table[(row*grid+col)*width:][:width]
			sinCos1D(tok[:width/2], float64(row), quarter)
			sinCos1D(tok[width/2:], float64(col), quarter)
		}
	}
	return table
}

// sinCos1D writes [sin(pos·ω_i) ‖ cos(pos·ω_i)] for i < n into dst: [2n].
func sinCos1D(dst []float32, pos float64, n int) {
	for i := range n {
		angle := pos * math.Pow(10000, -float64(i)/float64(n))
		dst[i] = float32(math.Sin(angle))
		dst[n+i] = float32(math.Cos(angle))
	}
}
