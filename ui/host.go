package ui

import "flowsphere/ui/engine"

// The contract between the app and its host lives in package engine, which does the model
// work and must build without Ebiten (Ebiten needs a display as soon as it is imported);
// these aliases keep it here under the names the hosts use. See engine/host.go.

// Page states, shown in the page's #status element (data-state) and the app's status line.
const (
	StateLoading  = engine.StateLoading
	StateReady    = engine.StateReady
	StateTraining = engine.StateTraining
	StateError    = engine.StateError
)

// Host is what the platform — the browser page or the desktop — gives the app.
type Host = engine.Host

// Store is a small persistent key-value store for weights and training state.
type Store = engine.Store

// File is a file the user gave the app: dropped on the canvas or picked with the page's
// file input.
type File = engine.File

// Options start the app.
type Options = engine.Options
