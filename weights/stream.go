package weights

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// maxWindow caps the zstd window Read accepts, as MaxBytes does: the
// decoder allocates the window a frame claims before any output, so the cap
// is what a tiny hostile frame can cost. 128 MiB covers every level of the
// zstd command line without --long; Write uses 8 MiB.
const maxWindow = 128 << 20

// Write encodes f with every tensor stored as dt (see Encode) and writes it
// to w as one zstd frame. Nothing is written if f does not encode.
func Write(w io.Writer, f *File, dt DType) error {
	raw, err := Encode(f, dt)
	if err != nil {
		return err
	}
	// One goroutine: the browser has one thread. The content size goes in
	// the frame header, so Read can size its buffer once.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBetterCompression), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("weights: zstd: %v", err)
	}
	enc.ResetContentSize(w, int64(len(raw)))
	if _, err := enc.Write(raw); err != nil {
		enc.Close()
		return fmt.Errorf("weights: write: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("weights: write: %w", err)
	}
	return nil
}

// Read decompresses a zstd-compressed weight file from r and decodes it
// (see Decode). Decompression stops with an error once the output passes
// lim.MaxBytes, and frames whose window exceeds lim.MaxBytes (or 128 MiB)
// are refused, so a zstd bomb costs a few times lim.MaxBytes at most
// (output buffers under 2·MaxBytes, plus the window), never what it
// expands to.
func Read(r io.Reader, lim Limits) (*File, error) {
	lim = lim.withDefaults()
	data, err := decompress(r, lim.MaxBytes)
	if err != nil {
		return nil, err
	}
	return Decode(data, lim)
}

// decompress reads the whole zstd stream from r, at most limit bytes of
// output.
func decompress(r io.Reader, limit int64) ([]byte, error) {
	// The frame header may state the content size: then the output buffer
	// is allocated once (a bomb that admits its size fails here). A wrong
	// size only costs regrowth, still bounded by limit.
	br := bufio.NewReader(r)
	sizeHint := int64(64 << 10)
	var h zstd.Header
	if peek, _ := br.Peek(zstd.HeaderMaxSize); h.Decode(peek) == nil && h.HasFCS {
		if h.FrameContentSize > uint64(limit) {
			return nil, zstdErr(errTooLarge, limit)
		}
		sizeHint = int64(h.FrameContentSize)
	}
	window := uint64(min(max(limit, zstd.MinWindowSize), maxWindow))
	dec, err := zstd.NewReader(br,
		zstd.WithDecoderConcurrency(1), // no goroutines: wasm has one thread
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(window),
		zstd.WithDecoderMaxMemory(uint64(limit)))
	if err != nil {
		return nil, zstdErr(err, limit)
	}
	defer dec.Close()
	data, err := readAtMost(dec, limit, sizeHint)
	if errors.Is(err, zstd.ErrMagicMismatch) && len(data) > 0 {
		return nil, errors.New("weights: data after the end of the zstd stream")
	}
	if err != nil {
		return nil, zstdErr(err, limit)
	}
	if len(data) == 0 {
		return nil, errors.New("weights: empty input")
	}
	return data, nil
}

// errTooLarge reports output past the limit.
var errTooLarge = errors.New("too large")

// readAtMost reads r to EOF, failing with errTooLarge past limit bytes;
// on other errors it also returns what it read. The buffer starts at
// sizeHint; when it is full a one-byte probe tells EOF from more data, so
// a buffer of the exact size is never regrown, and it doubles up to limit,
// never beyond: whatever r produces, the reads allocate under 2·limit bytes
// in all.
func readAtMost(r io.Reader, limit, sizeHint int64) ([]byte, error) {
	buf := make([]byte, 0, min(sizeHint, limit))
	for {
		if len(buf) == cap(buf) {
			var one [1]byte
			n, err := io.ReadFull(r, one[:])
			switch {
			case n == 0 && err == io.EOF:
				return buf, nil
			case n == 0:
				return buf, err
			case int64(len(buf)) == limit:
				return nil, errTooLarge
			}
			grown := make([]byte, len(buf), min(max(2*int64(cap(buf)), 64<<10), limit))
			copy(grown, buf)
			buf = append(grown, one[0])
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		}
	}
}

// zstdErr turns decompression failures into errors a user can act on.
func zstdErr(err error, limit int64) error {
	switch {
	case errors.Is(err, errTooLarge):
		return fmt.Errorf("weights: decompressed data exceeds limit of %d bytes", limit)
	case errors.Is(err, zstd.ErrMagicMismatch):
		return errors.New("weights: not zstd-compressed (want a " + Ext + " file)")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("weights: truncated: the zstd stream ends early")
	case errors.Is(err, zstd.ErrWindowSizeExceeded), errors.Is(err, zstd.ErrDecoderSizeExceeded):
		return fmt.Errorf("weights: zstd window exceeds limit of %d bytes", min(limit, maxWindow))
	}
	return fmt.Errorf("weights: decompress: %v", err)
}
