package engine

import (
	"bytes"
	"fmt"
)

// StateKey is the Store key of the app's fine-tune state.
const StateKey = "finetune"

// store returns the host's store, or nil when there is none.
func (e *Engine) store() Store {
	if e.opts.Host == nil {
		return nil
	}
	return e.opts.Host.Store()
}

// persist writes the app state to the store.
func (e *Engine) persist() error {
	e.ft.dirty = false
	st := e.store()
	if st == nil {
		return nil
	}
	var buf bytes.Buffer
	if err := e.encodeState(&buf); err != nil {
		return err
	}
	if err := st.Put(StateKey, buf.Bytes()); err != nil {
		return fmt.Errorf("storing the fine-tune state: %w", err)
	}
	return nil
}

// restore installs the stored app state, if there is one. A state that does not decode
// changes nothing; one whose trainer does not rebuild leaves its weights and images
// installed. The error says which.
func (e *Engine) restore() error {
	st := e.store()
	if st == nil {
		return nil
	}
	raw, err := st.Get(StateKey)
	if err != nil || raw == nil {
		return err
	}
	if err := e.decodeState(raw); err != nil {
		return fmt.Errorf("the stored fine-tune state was not restored: %w", err)
	}
	return nil
}

// forget deletes the stored state.
func (e *Engine) forget() error {
	if st := e.store(); st != nil {
		return st.Delete(StateKey)
	}
	return nil
}
