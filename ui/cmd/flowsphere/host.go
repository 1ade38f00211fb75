package main

import (
	"fmt"
	"path/filepath"

	"flowsphere/ui"
)

// host is the desktop's ui.Host: status on stdout, downloads into a folder, a folder store.
type host struct {
	out   string
	store dirStore
}

// Status prints each status change.
func (h *host) Status(state, text string) { fmt.Println(text) }

// Download writes the file into the output folder.
func (h *host) Download(name string, data []byte) error {
	path := filepath.Join(h.out, filepath.Base(name))
	if err := writeAtomic(path, data); err != nil {
		return err
	}
	fmt.Println("saved", path)
	return nil
}

// Store is the folder store.
func (h *host) Store() ui.Store { return h.store }
