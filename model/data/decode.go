package data

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"strings"

	// The formats DecodeImage accepts register themselves with package image.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"
)

// MaxPixels is the largest image DecodeImage accepts, in pixels (40 megapixels). Decoding
// allocates 4 bytes or more per pixel, and a dropped photo larger than this would exhaust a
// browser tab's memory for a 32×32 result.
const MaxPixels = 40_000_000

// errNotImage is what DecodeImage says about bytes in no format it knows.
var errNotImage = errors.New("not a PNG, JPEG, GIF, BMP or WebP image")

// DecodeImage decodes a PNG, JPEG, GIF, BMP or WebP image, composites it over white,
// centre-crops it to a square and resizes it to size×size with Catmull-Rom. The result is
// planar [3, size, size] in [-1, 1]. Empty, truncated, unknown or larger than MaxPixels
// input returns an error; the image size is checked from the header before any pixel
// memory is allocated.
func DecodeImage(r io.Reader, size int) ([]float32, error) {
	pix, err := decodeBytes(r, size)
	if err != nil {
		return nil, err
	}
	return toFloat(pix), nil
}

// decodeBytes is DecodeImage with the uint8 result the datasets store: [3, size, size].
func decodeBytes(r io.Reader, size int) (pix []uint8, err error) {
	if size < 1 {
		return nil, fmt.Errorf("image size %d: must be at least 1", size)
	}
	// A decoder bug on hostile input must not take down the page or the CLI.
	defer func() {
		if p := recover(); p != nil {
			pix, err = nil, fmt.Errorf("corrupt image (the decoder panicked: %v)", p)
		}
	}()
	// The header is read twice: once by DecodeConfig to check the size, once by Decode.
	// Only the bytes DecodeConfig consumed are kept, then the rest streams.
	var head bytes.Buffer
	cfg, format, err := image.DecodeConfig(io.TeeReader(r, &head))
	switch {
	case head.Len() == 0:
		return nil, errors.New("empty file (0 bytes)")
	case errors.Is(err, image.ErrFormat):
		return nil, errNotImage
	case err != nil:
		return nil, describe(format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%s image is %d×%d: no pixels", format, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > MaxPixels {
		return nil, fmt.Errorf("%s image is %d×%d (%.1f megapixels): more than the %d megapixel limit",
			format, cfg.Width, cfg.Height, float64(px)/1e6, MaxPixels/1_000_000)
	}
	img, _, err := image.Decode(io.MultiReader(&head, r))
	if err != nil {
		return nil, describe(format, err)
	}
	return squareRGB(img, size), nil
}

// describe says whether a decoder error means the file ends too early or is corrupt. The
// decoders fold io.ErrUnexpectedEOF into their own error strings ("png: invalid format:
// unexpected EOF"; a cut in compressed pixels reads "not enough pixel data" in PNG and
// "not enough image data" in GIF), so the text is all there is to go by.
func describe(format string, err error) error {
	if msg := err.Error(); strings.Contains(msg, "EOF") || strings.Contains(msg, "not enough") {
		return fmt.Errorf("truncated %s image: %w", format, err)
	}
	return fmt.Errorf("corrupt %s image: %w", format, err)
}
