package weights

import (
	"fmt"
	"os"
	"path/filepath"
)

// ReadFile reads a weight file from disk (see Read).
func ReadFile(path string, lim Limits) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	defer fh.Close()
	f, err := Read(fh, lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// WriteFile writes f to path (see Write), atomically: it writes a
// temporary file in the same directory, syncs it and renames it over path,
// so a failed or interrupted write leaves any old file at path intact and
// readers never see half a file.
func WriteFile(path string, f *File, dt DType) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("weights: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := Write(tmp, f, dt); err != nil {
		return err
	}
	// CreateTemp makes the file private; weight files are for sharing.
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("weights: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("weights: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("weights: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("weights: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes the rename durable where the platform can fsync a
// directory; where it cannot, the rename is still atomic, only not yet
// durable, so failure is not an error.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
