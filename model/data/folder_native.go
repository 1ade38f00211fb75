//go:build !js

package data

import (
	"fmt"
	"io"
	"os"
)

// LoadFolder builds an unlabelled set from the image files in dir and its subfolders, as
// FromFS does, without a progress report. The set is named after dir.
func LoadFolder(dir string, size int, warn io.Writer) (*Set, error) {
	return loadFolder(dir, size, warn, nil)
}

// loadFolder is LoadFolder with progress, after checking that dir is a folder so that a
// typo gets a plain message rather than a walk error.
func loadFolder(dir string, size int, warn io.Writer, p Progress) (*Set, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	return FromFS(os.DirFS(dir), dir, size, warn, p)
}
