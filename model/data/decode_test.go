package data

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
)

// filled returns a w×h NRGBA image of colour c.
func filled(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:i+4], []uint8{c.R, c.G, c.B, c.A})
	}
	return img
}

// encoded returns img encoded with enc.
func encoded(t *testing.T, img image.Image, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// solidWebP writes a w×h lossless WebP (VP8L) of one colour. x/image has no WebP encoder,
// but a one-colour image needs none of VP8L's machinery: no transforms, no colour cache,
// and five "simple" prefix codes of one symbol each (green, red, blue, alpha, distance),
// after which every pixel takes zero bits.
func solidWebP(w, h int, c color.NRGBA) []byte {
	var data []byte
	var acc uint64
	var n uint
	put := func(v uint64, bits uint) { // VP8L packs bits least significant first
		acc |= v << n
		for n += bits; n >= 8; n -= 8 {
			data = append(data, byte(acc))
			acc >>= 8
		}
	}
	data = append(data, 0x2f) // VP8L signature
	put(uint64(w-1), 14)
	put(uint64(h-1), 14)
	put(1, 1) // alpha is used
	put(0, 3) // version 0
	put(0, 1) // no transform
	put(0, 1) // no colour cache
	put(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		put(1, 1) // simple code
		put(0, 1) // one symbol
		put(1, 1) // of 8 bits
		put(uint64(sym), 8)
	}
	if n > 0 {
		data = append(data, byte(acc))
	}
	chunk := binary.LittleEndian.AppendUint32([]byte("VP8L"), uint32(len(data)))
	chunk = append(chunk, data...)
	if len(data)%2 == 1 {
		chunk = append(chunk, 0) // RIFF chunks are padded to even length
	}
	riff := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(4+len(chunk)))
	return append(append(riff, "WEBP"...), chunk...)
}

func TestDecodeImageFormats(t *testing.T) {
	c := color.NRGBA{200, 60, 20, 255}
	src := filled(12, 8, c)
	pngEnc := func(w io.Writer, m image.Image) error { return png.Encode(w, m) }
	jpegEnc := func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 100}) }
	gifEnc := func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }
	tests := []struct {
		name string
		file []byte
		tol  float64 // JPEG's YCbCr round trip moves colours; GIF's palette snaps them
	}{
		{"png", encoded(t, src, pngEnc), 0},
		{"jpeg", encoded(t, src, jpegEnc), 4},
		{"gif", encoded(t, src, gifEnc), 40},
		{"bmp", encoded(t, src, bmp.Encode), 0},
		{"webp", solidWebP(12, 8, c), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeImage(bytes.NewReader(tc.file), 4)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3*4*4 {
				t.Fatalf("got %d values, want 48", len(got))
			}
			want := []uint8{c.R, c.G, c.B}
			for i, v := range got {
				if d := float64(toByte(v)) - float64(want[i/16]); d > tc.tol || -d > tc.tol {
					t.Fatalf("value %d (channel %d) = %v (%d), want %d ± %v", i, i/16, v, toByte(v), want[i/16], tc.tol)
				}
			}
		})
	}
}

func TestDecodeImageCompositesOnWhite(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 3, 1))
	img.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 0})     // transparent → white
	img.SetNRGBA(1, 0, color.NRGBA{0, 0, 0, 128})   // half black → mid grey
	img.SetNRGBA(2, 0, color.NRGBA{255, 0, 0, 255}) // opaque red stays red
	pix, err := decodeBytes(bytes.NewReader(encoded(t, img.SubImage(image.Rect(1, 0, 2, 1)), png.Encode)), 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint8{127, 127, 127}; !bytes.Equal(pix, want) {
		t.Errorf("half-transparent black over white = %v, want %v", pix, want)
	}
	got, err := DecodeImage(bytes.NewReader(encoded(t, img.SubImage(image.Rect(0, 0, 1, 1)), png.Encode)), 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v != 1 {
			t.Fatalf("transparent pixel value %d = %v, want 1 (white)", i, v)
		}
	}
}

func TestDecodeImageCentreCrop(t *testing.T) {
	// 6×4: columns 0 and 5 are cropped away; column x has red 40·x, row y has green 50·y.
	img := image.NewNRGBA(image.Rect(0, 0, 6, 4))
	for y := range 4 {
		for x := range 6 {
			img.SetNRGBA(x, y, color.NRGBA{uint8(40 * x), uint8(50 * y), 7, 255})
		}
	}
	for _, tc := range []struct {
		name string
		img  image.Image
	}{{"wide", img}, {"tall", transpose(img)}} {
		t.Run(tc.name, func(t *testing.T) {
			pix, err := decodeBytes(bytes.NewReader(encoded(t, tc.img, png.Encode)), 4)
			if err != nil {
				t.Fatal(err)
			}
			x, y := 0, 2 // output (0, 2) is source column 1, row 2 (or its transpose)
			if tc.name == "tall" {
				x, y = 2, 0
			}
			r, g, b := pix[y*4+x], pix[16+y*4+x], pix[32+y*4+x]
			if r != 40 || g != 100 || b != 7 {
				t.Errorf("pixel (%d, %d) = (%d, %d, %d), want (40, 100, 7)", x, y, r, g, b)
			}
		})
	}
}

// transpose returns img with x and y swapped.
func transpose(img *image.NRGBA) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.Set(y, x, img.At(x, y))
		}
	}
	return out
}

func TestDecodeImageResizes(t *testing.T) {
	// Upscaling a flat image must keep it flat; downscaling halves of black and white must
	// keep the left dark and the right light.
	img := filled(8, 8, color.NRGBA{255, 255, 255, 255})
	for y := range 8 {
		for x := range 4 {
			img.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 255})
		}
	}
	pix, err := decodeBytes(bytes.NewReader(encoded(t, img, png.Encode)), 2)
	if err != nil {
		t.Fatal(err)
	}
	if pix[0] > 30 || pix[1] < 225 {
		t.Errorf("8→2 of black|white: row 0 = %v, want dark then light", pix[:2])
	}
}

// pngHeader returns just the signature and the IHDR chunk of a w×h RGBA PNG: enough for
// image.DecodeConfig, with no pixel data behind it.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, default compression, filter, no interlace
	chunk := append([]byte("IHDR"), ihdr...)
	out := append([]byte("\x89PNG\r\n\x1a\n"), binary.BigEndian.AppendUint32(nil, uint32(len(ihdr)))...)
	out = append(out, chunk...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

func TestDecodeImageErrors(t *testing.T) {
	src := filled(16, 16, color.NRGBA{1, 2, 3, 255})
	good := encoded(t, src, png.Encode)
	goodJPEG := encoded(t, src, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) })
	goodGIF := encoded(t, src, func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) })
	tests := []struct {
		name string
		file []byte
		size int
		want []string // parts of the error message
	}{
		{"not an image", []byte("hello, this is text"), 32, []string{"not a PNG, JPEG, GIF, BMP or WebP image"}},
		{"zero bytes", nil, 32, []string{"empty file (0 bytes)"}},
		{"truncated header", good[:12], 32, []string{"truncated png image"}},
		{"truncated pixels", good[:len(good)-20], 32, []string{"truncated png image"}},
		{"truncated jpeg", goodJPEG[:len(goodJPEG)/2], 32, []string{"truncated jpeg image"}},
		{"truncated gif", goodGIF[:len(goodGIF)-8], 32, []string{"truncated gif image"}},
		{"50 megapixels", pngHeader(8000, 6250), 32, []string{"8000×6250", "50.0 megapixels", "40 megapixel limit"}},
		{"zero width", pngHeader(0, 10), 32, []string{"corrupt png image"}},
		{"size 0", good, 0, []string{"image size 0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeImage(bytes.NewReader(tc.file), tc.size)
			if err == nil {
				t.Fatalf("no error, got %d values", len(got))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestDecodeImageRefusesBeforeAllocating(t *testing.T) {
	// 8000×6250 RGBA would need 200 MB; the refusal must come from the header alone.
	header := pngHeader(8000, 6250)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := DecodeImage(bytes.NewReader(header), 32)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("50-megapixel image accepted")
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing allocated %d bytes, want under 1 MiB", n)
	}
}
