package ui

import "github.com/hajimehoshi/ebiten/v2"

// tiles keeps the textures of a list of RGBA images, rewriting a texture only when its
// source slice changed (the engine publishes new slices, never edits old ones).
type tiles struct {
	size int
	src  [][]byte
	imgs []*ebiten.Image
}

// update makes the textures show src, images size×size (no images before the engine has
// a model).
func (t *tiles) update(src [][]byte, size int) {
	if size == 0 {
		return
	}
	if size != t.size {
		t.size, t.src, t.imgs = size, nil, nil
	}
	for i, px := range src {
		if i < len(t.src) && len(t.src[i]) > 0 && &t.src[i][0] == &px[0] {
			continue
		}
		if i >= len(t.imgs) {
			t.imgs = append(t.imgs, ebiten.NewImage(size, size))
		}
		t.imgs[i].WritePixels(px)
	}
	t.imgs, t.src = t.imgs[:len(src)], src
}

// cells lays n cells of side cell out in rows of cols with gap between them, from the
// top-left of r.
func cells(r rect, n, cols int, cell, gap float64) []rect {
	out := make([]rect, n)
	for i := range out {
		out[i] = rect{r.x + float64(i%cols)*(cell+gap), r.y + float64(i/cols)*(cell+gap), cell, cell}
	}
	return out
}

// drawTiles draws the textures into their cells; the cell highlight marks one (-1: none).
func drawTiles(s *surface, t *tiles, cs []rect, highlight int) {
	for i, img := range t.imgs {
		if i >= len(cs) {
			return
		}
		if i == highlight {
			s.stroke(cs[i].inset(-3), 3, colAccent)
		}
		s.image(img, cs[i])
	}
}
