//go:build js

package main

import (
	"fmt"
	"syscall/js"

	"flowsphere/ui"
)

// host is the browser page as ui.Host: the status line, downloads and IndexedDB. Its
// methods run on the engine's goroutine, which may block.
type host struct{}

var _ ui.Host = host{}

// Status sets #status's data-state and text.
func (host) Status(state, text string) { setStatus(state, text) }

// Download hands data to the browser as a file download (a Blob behind an object URL
// and a clicked anchor, in site/page.js).
func (host) Download(name string, data []byte) error {
	page().Call("download", name, bytesToJS(data))
	return nil
}

// Store is the page's IndexedDB key-value store.
func (host) Store() ui.Store { return store{page().Get("store")} }

// store is site/store.js's IndexedDB store. Each call blocks its goroutine on a promise.
type store struct{ js js.Value }

// Get returns the value of key, or nil when there is none.
func (s store) Get(key string) ([]byte, error) {
	v, err := await(s.js.Call("get", key))
	if err != nil {
		return nil, storeError(err)
	}
	if v.IsNull() {
		return nil, nil
	}
	return bytesFromJS(v), nil
}

// Put stores data under key.
func (s store) Put(key string, data []byte) error {
	_, err := await(s.js.Call("put", key, bytesToJS(data)))
	return storeError(err)
}

// Delete removes key.
func (s store) Delete(key string) error {
	_, err := await(s.js.Call("delete", key))
	return storeError(err)
}

// storeError says that err came from the browser's storage (a full quota, private mode).
func storeError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("browser storage: %w", err)
}
