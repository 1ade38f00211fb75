//go:build !js

package data

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CacheDir returns the folder for downloads and prepared sets: $FLOWSPHERE_CACHE when set,
// otherwise .cache in the root of the flowsphere repository (git ignores it), found by
// walking up from the working directory.
func CacheDir() (string, error) {
	if d := os.Getenv("FLOWSPHERE_CACHE"); d != "" {
		return d, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", fmt.Errorf("%w; or set FLOWSPHERE_CACHE to a cache folder", err)
	}
	return filepath.Join(root, ".cache"), nil
}

// repoRoot returns the nearest folder at or above the working directory whose go.mod
// declares module flowsphere.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if f, err := os.Open(filepath.Join(dir, "go.mod")); err == nil {
			first := ""
			sc := bufio.NewScanner(f)
			for first == "" && sc.Scan() {
				first = strings.TrimSpace(sc.Text())
			}
			f.Close()
			if first == "module flowsphere" {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the flowsphere repository (no go.mod declaring module flowsphere above the working directory)")
		}
		dir = parent
	}
}

// SaveCache writes s to path in the cache format, atomically: into a temporary file in the
// same folder, then renamed over path, so an interrupted run never leaves a half file that
// a later run would have to reject.
func SaveCache(path string, s *Set) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := WriteSet(f, s); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// CreateTemp makes the file private; a cache is as readable as the folder it is in.
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// LoadCache reads a set saved by SaveCache. Errors name the file; a missing file gives an
// error for which errors.Is(err, fs.ErrNotExist) holds.
func LoadCache(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	s, err := ReadSet(f, info.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
