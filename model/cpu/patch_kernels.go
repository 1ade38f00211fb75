package cpu

import "fmt"

// checkPatch panics unless p divides both image sides.
func checkPatch(h, w, p int) {
	if p <= 0 || h%p != 0 || w%p != 0 {
		panic(fmt.Sprintf("cpu: patch size %d does not divide the %d×%d image", p, h, w))
	}
}

// patchPermute moves pixels between the image layout img: [batch, ch, h, w] and the token
// layout tok: [batch, (h/p)·(w/p), ch·p·p], where pixel (b, c, py·p+ky, px·p+kx) is
// element c·p·p + ky·p + kx of token py·(w/p)+px. toTokens copies img into tok
// (Patchify), otherwise tok into img (Unpatchify).
func patchPermute[T Float](tok, img []T, batch, ch, h, w, p int, toTokens bool) {
	checkPatch(h, w, p)
	tokens, dim := (h/p)*(w/p), ch*p*p
	// One image row (b, c, y) per item: its pixels land in w/p tokens, p at a time.
	parallel(batch*ch*h, max(1, 4096/w), func(lo, hi int) {
		for row := lo; row < hi; row++ {
			y := row % h
			c := (row / h) % ch
			b := row / (h * ch)
			for px := range w / p {
				pixels := img[row*w+px*p:][:p]
				t := b*tokens + (y/p)*(w/p) + px
				cell := tok[t*dim+c*p*p+(y%p)*p:][:p]
				if toTokens {
					copy(cell, pixels)
				} else {
					copy(pixels, cell)
				}
			}
		}
	})
}
