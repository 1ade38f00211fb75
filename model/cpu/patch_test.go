package cpu

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestPatchifyExample checks one token against indices worked out by hand: a 1×2×4×4
// image holding its own flat indices, cut into 2×2 patches.
func TestPatchifyExample(t *testing.T) {
	be := New()
	img, tok := be.New(1, 2, 4, 4), be.New(1, 4, 8)
	for i := range img.Host {
		img.Host[i] = float32(i)
	}
	be.Patchify(tok, img, 1, 2, 4, 4, 2)
	// Token 3 is patch (py, px) = (1, 1): rows 2–3, columns 2–3 of channel 0 (pixels 10, 11,
	// 14, 15), then the same of channel 1 (16 more).
	want := []float32{10, 11, 14, 15, 26, 27, 30, 31}
	if got := tok.Host[3*8 : 4*8]; !slices.Equal(got, want) {
		t.Fatalf("token 3 = %v, want %v", got, want)
	}
}

// TestPatchRoundTrip checks that Patchify is a permutation and Unpatchify its inverse.
func TestPatchRoundTrip(t *testing.T) {
	be := New()
	for _, s := range []struct{ batch, ch, h, w, p int }{
		{1, 1, 1, 1, 1}, {2, 3, 8, 12, 4}, {1, 2, 6, 6, 3}, {3, 3, 32, 32, 4},
	} {
		t.Run(fmt.Sprintf("%+v", s), func(t *testing.T) {
			n := s.batch * s.ch * s.h * s.w
			img, tok, back := be.New(n), be.New(n), be.New(n)
			for i := range img.Host {
				img.Host[i] = float32(i)
			}
			be.Patchify(tok, img, s.batch, s.ch, s.h, s.w, s.p)
			if sorted := slices.Sorted(slices.Values(tok.Host)); !slices.Equal(sorted, img.Host) {
				t.Fatal("Patchify is not a permutation")
			}
			be.Unpatchify(back, tok, s.batch, s.ch, s.h, s.w, s.p)
			if !slices.Equal(back.Host, img.Host) {
				t.Fatal("Unpatchify∘Patchify is not the identity")
			}
		})
	}
}

// TestPatchRejectsRaggedImage checks the panic when p does not divide the image.
func TestPatchRejectsRaggedImage(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "does not divide") {
			t.Fatalf("panic %v, want one about the patch size", p)
		}
	}()
	be := New()
	be.Patchify(be.New(1, 30*32), be.New(1, 30*32), 1, 1, 30, 32, 4)
}
