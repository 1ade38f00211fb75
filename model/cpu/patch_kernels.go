package cpu

import (
	"fmt"

	"flowsphere/model/cpu/pool"
)

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
	// One image row (b, c, y) per item: its pixels land in w/p tokens, p at a time.
	pool.Run(batch*ch*h, max(1, 4096/w), patchTask[T]{tok, img, ch, h, w, p, toTokens})
}

type patchTask[T Float] struct {
	tok, img    []T
	ch, h, w, p int
	toTokens    bool
}

func (t *patchTask[T]) Run(_ *pool.Worker, lo, hi int) {
	ch, h, w, p := t.ch, t.h, t.w, t.p
	tokens, dim := (h/p)*(w/p), ch*p*p
	for row := lo; row < hi; row++ {
		y := row % h
		c := (row / h) % ch
		b := row / (h * ch)
		for px := range w / p {
			pixels := t.img[row*w+px*p:][:p]
			tk := b*tokens + (y/p)*(w/p) + px
			cell := t.tok[tk*dim+c*p*p+(y%p)*p:][:p]
			if t.toTokens {
				copy(cell, pixels)
			} else {
				copy(pixels, cell)
			}
		}
	}
}
