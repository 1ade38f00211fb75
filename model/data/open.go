//go:build !js

package data

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Options configure Open.
type Options struct {
	Size     int       // image side in pixels; 0 means 32
	CacheDir string    // where downloads and prepared sets live; "" means CacheDir()
	Log      io.Writer // downloads, skipped files and other notes; nil discards them
	Progress Progress  // progress of long work; nil is silent
}

// Open returns the dataset called name: "emoji32", "mnist32", or else the path of a folder
// of images (write ./emoji32 for a folder of that name). A set already prepared at this
// size is read from its cache file; otherwise it is prepared and written there. cache is
// that file's path and cached says whether the set came from it.
//
// A folder's cache file is keyed by the folder's absolute path and the names, sizes and
// modification times of its files, so editing the folder prepares it again.
func Open(name string, o Options) (s *Set, cache string, cached bool, err error) {
	if o.Size == 0 {
		o.Size = 32
	}
	if o.Size < 1 || o.Size > maxCacheSize {
		return nil, "", false, fmt.Errorf("image size %d outside 1…%d", o.Size, maxCacheSize)
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.CacheDir == "" {
		if o.CacheDir, err = CacheDir(); err != nil {
			return nil, "", false, err
		}
	}

	var prepare func() (*Set, error)
	key := name
	switch name {
	case "emoji32":
		prepare = func() (*Set, error) { return emoji32(o.CacheDir, o.Size, o.Log, o.Progress) }
	case "mnist32":
		prepare = func() (*Set, error) { return mnist32(o.Size, o.Progress) }
	default:
		if key, err = folderKey(name); err != nil {
			return nil, "", false, err
		}
		prepare = func() (*Set, error) { return loadFolder(name, o.Size, o.Log, o.Progress) }
	}
	cache = filepath.Join(o.CacheDir, fmt.Sprintf("%s-%d.fsds", key, o.Size))

	s, err = LoadCache(cache)
	switch {
	case err == nil:
		return s, cache, true, nil
	case !errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(o.Log, "ignoring the cache: %v\n", err) // rebuilt and overwritten below
	}
	if s, err = prepare(); err != nil {
		return nil, "", false, err
	}
	if err := SaveCache(cache, s); err != nil {
		return nil, "", false, err
	}
	return s, cache, false, nil
}

// folderKey names a folder's cache file: "folder-" + its base name + a hash of its
// absolute path and of the path, size and modification time of every file FromFS would
// read.
func folderKey(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return "", fmt.Errorf("%s is neither emoji32, mnist32 nor a folder of images", dir)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", abs)
	fsys := os.DirFS(abs)
	for _, p := range listFiles(fsys, io.Discard) {
		if fi, err := fs.Stat(fsys, p); err == nil {
			fmt.Fprintf(h, "%s\t%d\t%d\n", p, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return "folder-" + filepath.Base(abs) + "-" + hex.EncodeToString(h.Sum(nil)[:6]), nil
}
