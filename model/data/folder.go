package data

import (
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
)

// FromFS builds an unlabelled set from every image file in fsys, named name (the folder,
// in messages): each file is decoded with DecodeImage's rules to size×size. Files that
// cannot be read or decoded are skipped with one line on warn naming the file and why;
// names starting with "." (.DS_Store, .git) and symbolic links are passed over silently.
// Subfolders are included. Images are ordered by path, and every 20th is held out for testing when there
// are 20 or more. No image at all is an error.
//
// It is the browser's path too: there fsys holds the dropped files.
func FromFS(fsys fs.FS, name string, size int, warn io.Writer, p Progress) (*Set, error) {
	if size < 1 {
		return nil, fmt.Errorf("image size %d: must be at least 1", size)
	}
	if warn == nil {
		warn = io.Discard
	}
	paths := listFiles(fsys, warn)
	add, done := p.start("decode "+name, "images", len(paths))
	var ims []Image
	for _, path := range paths {
		pix, err := decodeFile(fsys, path, size)
		add(1)
		if err != nil {
			fmt.Fprintf(warn, "skipping %s: %v\n", path, err)
			continue
		}
		ims = append(ims, Image{Pixels: pix, Label: -1})
	}
	done()
	if len(ims) == 0 {
		return nil, fmt.Errorf("no images in %s", name)
	}
	train, test := splitHeldOut(ims)
	return &Set{Name: name, Size: size, Train: train, Test: test}, nil
}

// listFiles returns the paths of the regular files under fsys in sorted order, skipping
// dot-names; folders that cannot be read are reported on warn and skipped.
func listFiles(fsys fs.FS, warn io.Writer) []string {
	var paths []string
	fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			fmt.Fprintf(warn, "skipping %s: %v\n", path, err)
			return nil
		}
		if path != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			paths = append(paths, path)
		}
		return nil
	})
	sort.Strings(paths) // WalkDir sorts per folder; this makes the order one flat sort
	return paths
}

// decodeFile decodes one file of fsys to planar [3, size, size] uint8.
func decodeFile(fsys fs.FS, path string, size int) ([]uint8, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeBytes(f, size)
}
