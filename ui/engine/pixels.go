package engine

// makeGrid converts generated images (planar [3, size, size] in [-1, 1]) to RGBA.
func makeGrid(decoded, refined [][]float32, size, centre int) Grid {
	g := Grid{Size: size, Centre: centre}
	for i := range decoded {
		g.Decoded = append(g.Decoded, planarToRGBA(decoded[i], size))
	}
	for i := range refined {
		g.Refined = append(g.Refined, planarToRGBA(refined[i], size))
	}
	return g
}

// planarToRGBA converts a planar [3, size, size] image in [-1, 1] to opaque RGBA bytes.
func planarToRGBA(img []float32, size int) []byte {
	n := size * size
	out := make([]byte, 4*n)
	for p := range n {
		for c := range 3 {
			out[4*p+c] = toByte(img[c*n+p])
		}
		out[4*p+3] = 255
	}
	return out
}

// bytesToRGBA converts a dataset image (planar [3, size, size] uint8) to opaque RGBA.
func bytesToRGBA(pix []uint8, size int) []byte {
	n := size * size
	out := make([]byte, 4*n)
	for p := range n {
		out[4*p], out[4*p+1], out[4*p+2], out[4*p+3] = pix[p], pix[n+p], pix[2*n+p], 255
	}
	return out
}

// toByte maps [-1, 1] to 0…255 as package data stores pixels: rounding to nearest,
// clamping, NaN to 0.
func toByte(v float32) uint8 {
	x := (v + 1) * 127.5
	switch {
	case !(x > 0):
		return 0
	case x >= 255:
		return 255
	}
	return uint8(x + 0.5)
}
