package refiner

import "flowsphere/model/tensor"

// copySegment moves segment index between a sequence and a segment tensor: into the sequence
// when toSeq, out of it otherwise. seq: [batch, 3T, E]; tok: [batch·T, E].
func copySegment(b tensor.Backend, seq, tok *tensor.Tensor, batch, tokens, width, index int, toSeq bool) {
	n := tokens * width
	if toSeq {
		b.Copy2D(seq, tok, batch, n, index*n, segments*n, 0, n, false)
		return
	}
	b.Copy2D(tok, seq, batch, n, 0, n, index*n, segments*n, false)
}

// copyAll copies all of src into dst (same length). dst, src: [n].
func copyAll(b tensor.Backend, dst, src *tensor.Tensor) {
	b.Copy2D(dst, src, 1, src.Len(), 0, 0, 0, 0, false)
}
