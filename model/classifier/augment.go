package classifier

// shift moves the planar image src: [channels, size, size] by (dx, dy) pixels into dst (same
// shape), repeating the edge pixels into the uncovered border. Backgrounds (black digits'
// surround, white behind emoji) reach the edges, so the repeated border is background.
func shift(dst, src []float32, channels, size, dx, dy int) {
	clamp := func(v int) int { return min(size-1, max(0, v)) }
	plane := size * size
	for c := range channels {
		for y := range size {
			sy := clamp(y - dy)
			for x := range size {
				dst[c*plane+y*size+x] = src[c*plane+sy*size+clamp(x-dx)]
			}
		}
	}
}
