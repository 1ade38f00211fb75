package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The cache format, all integers little-endian:
//
//	"FSDS"                       magic (flowsphere dataset)
//	u32 version, size, train count, test count, class count
//	u16 length + UTF-8 bytes     the set's name, then each class name
//	i32 × (train+test)           labels, train images first
//	u8 × (train+test)·3·size²    pixels, planar [3, size, size] per image, same order
//	u32                          CRC-32 (IEEE) of every byte before it
//
// The counts come first so a reader knows the exact file length before allocating pixels.
const (
	cacheMagic   = "FSDS"
	cacheVersion = 1

	maxCacheSize    = 1024    // image side: far above any size the models use
	maxCacheImages  = 1 << 24 // 16 M images: bounds allocation from a corrupt header
	maxCacheClasses = 1 << 16
)

// WriteSet writes s in the cache format. It refuses a set whose images do not match its
// Size or whose labels fall outside Classes, so a cache never holds what ReadSet rejects.
func WriteSet(w io.Writer, s *Set) error {
	if err := s.check(); err != nil {
		return err
	}
	all := s.images()
	var head []byte
	head = append(head, cacheMagic...)
	for _, v := range []int{cacheVersion, s.Size, len(s.Train), len(s.Test), len(s.Classes)} {
		head = binary.LittleEndian.AppendUint32(head, uint32(v))
	}
	for _, str := range append([]string{s.Name}, s.Classes...) {
		head = binary.LittleEndian.AppendUint16(head, uint16(len(str)))
		head = append(head, str...)
	}
	for _, im := range all {
		head = binary.LittleEndian.AppendUint32(head, uint32(int32(im.Label)))
	}

	crc := crc32.NewIEEE()
	bw := bufio.NewWriter(w)
	mw := io.MultiWriter(bw, crc)
	if _, err := mw.Write(head); err != nil {
		return err
	}
	for _, im := range all {
		if _, err := mw.Write(im.Pixels); err != nil {
			return err
		}
	}
	if _, err := bw.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32())); err != nil {
		return err
	}
	return bw.Flush()
}

// check reports the first way s cannot be written to the cache.
func (s *Set) check() error {
	switch {
	case s.Size < 1 || s.Size > maxCacheSize:
		return fmt.Errorf("set %q: size %d outside 1…%d", s.Name, s.Size, maxCacheSize)
	case len(s.Train)+len(s.Test) > maxCacheImages:
		return fmt.Errorf("set %q: %d images, more than %d", s.Name, len(s.Train)+len(s.Test), maxCacheImages)
	case len(s.Classes) > maxCacheClasses:
		return fmt.Errorf("set %q: %d classes, more than %d", s.Name, len(s.Classes), maxCacheClasses)
	}
	for _, str := range append([]string{s.Name}, s.Classes...) {
		if len(str) > 0xffff {
			return fmt.Errorf("set %q: a name of %d bytes, more than 65535", s.Name, len(str))
		}
	}
	n := 3 * s.Size * s.Size
	for i, im := range s.images() {
		if len(im.Pixels) != n {
			return fmt.Errorf("set %q: image %d has %d bytes, want 3×%d×%d = %d", s.Name, i, len(im.Pixels), s.Size, s.Size, n)
		}
		if im.Label < -1 || im.Label >= len(s.Classes) {
			return fmt.Errorf("set %q: image %d has label %d, outside -1…%d", s.Name, i, im.Label, len(s.Classes)-1)
		}
	}
	return nil
}

// ReadSet reads a set written by WriteSet from r, whose total length in bytes is length.
// The header is checked against length before any pixel memory is allocated, and the
// checksum after the last byte; every failure names what is wrong.
func ReadSet(r io.Reader, length int64) (*Set, error) {
	crc := crc32.NewIEEE()
	br := bufio.NewReader(r)
	tr := io.TeeReader(br, crc)
	read := func(n int) ([]byte, error) {
		b := make([]byte, n)
		_, err := io.ReadFull(tr, b)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = errors.New("cache file truncated")
		}
		return b, err
	}

	head, err := read(4 + 5*4)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(head[:4], []byte(cacheMagic)) {
		return nil, fmt.Errorf("not a flowsphere dataset cache (magic %q, want %q)", head[:4], cacheMagic)
	}
	var f [5]uint32 // version, size, train, test, classes
	for i := range f {
		f[i] = binary.LittleEndian.Uint32(head[4+4*i:])
	}
	version, size, nTrain, nTest, nClasses := f[0], int64(f[1]), int64(f[2]), int64(f[3]), int64(f[4])
	switch {
	case version != cacheVersion:
		return nil, fmt.Errorf("dataset cache version %d, this build reads version %d: delete the file to rebuild it", version, cacheVersion)
	case size < 1 || size > maxCacheSize:
		return nil, fmt.Errorf("dataset cache: image size %d outside 1…%d", size, maxCacheSize)
	case nTrain+nTest > maxCacheImages:
		return nil, fmt.Errorf("dataset cache: %d images, more than %d", nTrain+nTest, maxCacheImages)
	case nClasses > maxCacheClasses:
		return nil, fmt.Errorf("dataset cache: %d classes, more than %d", nClasses, maxCacheClasses)
	}

	pos := int64(len(head))
	strs := make([]string, 1+nClasses) // name, then classes
	for i := range strs {
		lb, err := read(2)
		if err != nil {
			return nil, err
		}
		sb, err := read(int(binary.LittleEndian.Uint16(lb)))
		if err != nil {
			return nil, err
		}
		strs[i] = string(sb)
		pos += 2 + int64(len(sb))
	}
	n, plane := nTrain+nTest, 3*size*size
	if want := pos + 4*n + n*plane + 4; want != length {
		return nil, fmt.Errorf("dataset cache is %d bytes, its header implies %d: truncated or corrupt", length, want)
	}

	lb, err := read(int(4 * n))
	if err != nil {
		return nil, err
	}
	pix, err := read(int(n * plane))
	if err != nil {
		return nil, err
	}
	var sum [4]byte
	if _, err := io.ReadFull(br, sum[:]); err != nil {
		return nil, errors.New("cache file truncated")
	}
	if got, want := binary.LittleEndian.Uint32(sum[:]), crc.Sum32(); got != want {
		return nil, fmt.Errorf("dataset cache checksum mismatch (stored %08x, computed %08x): the file is corrupt", got, want)
	}

	ims := make([]Image, n)
	for i := range ims {
		label := int(int32(binary.LittleEndian.Uint32(lb[4*i:])))
		if label < -1 || int64(label) >= nClasses {
			return nil, fmt.Errorf("dataset cache: image %d has label %d, outside -1…%d", i, label, nClasses-1)
		}
		ims[i] = Image{Pixels: pix[int64(i)*plane : int64(i+1)*plane : int64(i+1)*plane], Label: label}
	}
	return &Set{Name: strs[0], Size: int(size), Train: ims[:nTrain:nTrain], Test: ims[nTrain:], Classes: strs[1:]}, nil
}

// images returns the training images followed by the test images: the cache's order.
func (s *Set) images() []Image {
	return append(append(make([]Image, 0, len(s.Train)+len(s.Test)), s.Train...), s.Test...)
}
