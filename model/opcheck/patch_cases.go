package opcheck

import (
	"fmt"

	"flowsphere/model/tensor"
)

// patchShape is one patch case: images [batch, ch, h, w] cut into p×p patches.
type patchShape struct{ batch, ch, h, w, p int }

func (s patchShape) String() string {
	return fmt.Sprintf("batch %d x %d x %d x %d, p = %d", s.batch, s.ch, s.h, s.w, s.p)
}

func (s patchShape) tokens() int { return (s.h / s.p) * (s.w / s.p) }

func patchCases() []Case {
	var cases []Case
	for _, s := range []patchShape{
		{1, 1, 1, 1, 1},
		{1, 1, 4, 4, 4},
		{2, 3, 6, 9, 3},
		{3, 5, 8, 20, 4},
		{32, 3, 32, 32, 4},
	} {
		cases = append(cases,
			Case{"patch", "forward", "patchify " + s.String(), func(h *Harness) {
				img := h.Input(1e4, s.batch, s.ch, s.h, s.w)
				tok := h.Output(nil, s.batch, s.tokens(), s.ch*s.p*s.p)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
					b.Patchify(t(tok), t(img), s.batch, s.ch, s.h, s.w, s.p)
				})
				h.Check("tokens", tok, moved)
			}},
			Case{"patch", "backward", "unpatchify " + s.String(), func(h *Harness) {
				tok := h.Input(1e4, s.batch, s.tokens(), s.ch*s.p*s.p)
				img := h.Output(nil, s.batch, s.ch, s.h, s.w)
				h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
					b.Unpatchify(t(img), t(tok), s.batch, s.ch, s.h, s.w, s.p)
				})
				h.Check("img", img, moved)
			}},
		)
	}
	for _, op := range []struct {
		pass, name string
		call       func(b tensor.Backend, tok, img *tensor.Tensor)
	}{
		{"forward", "patchify", func(b tensor.Backend, tok, img *tensor.Tensor) { b.Patchify(tok, img, 1, 1, 30, 32, 4) }},
		{"backward", "unpatchify", func(b tensor.Backend, tok, img *tensor.Tensor) { b.Unpatchify(img, tok, 1, 1, 30, 32, 4) }},
	} {
		cases = append(cases, Case{"patch", op.pass, op.name + " panics on a 30 x 32 image with p = 4", func(h *Harness) {
			tok, img := h.Output(nil, 30*32), h.Output(nil, 30*32)
			h.Run(func(b tensor.Backend, t func(Pair) *tensor.Tensor) {
				defer func() {
					if recover() == nil {
						h.fail("%s backend accepted a patch size that does not divide the image", b.Info().Backend)
					}
				}()
				op.call(b, t(tok), t(img))
			})
		}})
	}
	return cases
}

// moved is the tolerance of a permutation: values are copied, never computed.
var moved = Tol{Abs: 0, Rel: 0, Why: "a permutation copies every value bit for bit"}
