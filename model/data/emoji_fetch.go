//go:build !js

package data

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

const (
	emojiPackage = "emoji-datasource-google@16.0.0"
	emojiTarball = "emoji-datasource-google-16.0.0.tgz" // the name npm pack gives it
	maxTarMember = 64 << 20                             // the sheet is ~2 MB, emoji.json ~1 MB
)

// npmHint is how to get npm on the Debian machines the project targets.
const npmHint = "npm is needed to fetch emoji32: install it with `apt-get install -y npm` (Debian) or from https://nodejs.org"

// fetchEmojiTarball returns the path of the package tarball in cacheDir, fetching it with
// npm pack the first time. npm writes into a fresh temporary folder that is renamed into
// place only when npm succeeded, so an interrupted download is never taken for the package.
func fetchEmojiTarball(cacheDir string, log io.Writer) (string, error) {
	dst := filepath.Join(cacheDir, emojiTarball)
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", errors.New(npmHint)
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(cacheDir, "npm-pack-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(log, "fetching %s with npm pack (about 75 MB)…\n", emojiPackage)
	var stderr bytes.Buffer
	cmd := exec.Command(npm, "pack", emojiPackage, "--pack-destination", tmp)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm pack %s: %v\n%s", emojiPackage, err, bytes.TrimSpace(stderr.Bytes()))
	}
	if err := os.Rename(filepath.Join(tmp, emojiTarball), dst); err != nil {
		return "", fmt.Errorf("npm pack %s did not produce %s: %w", emojiPackage, emojiTarball, err)
	}
	return dst, nil
}

// readTarGz returns the contents of the named members of a .tar.gz file; a missing member
// is an error.
func readTarGz(path string, names ...string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	got := make(map[string][]byte, len(names))
	tr := tar.NewReader(zr)
	for len(got) < len(names) {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if !want[h.Name] || h.Typeflag != tar.TypeReg {
			continue
		}
		if h.Size > maxTarMember {
			return nil, fmt.Errorf("%s: %s is %d bytes, more than the %d expected", path, h.Name, h.Size, maxTarMember)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: reading %s: %w", path, h.Name, err)
		}
		got[h.Name] = b
	}
	for _, n := range names {
		if got[n] == nil {
			return nil, fmt.Errorf("%s has no %s: delete it to fetch it again", path, n)
		}
	}
	return got, nil
}
