// Package ui is the flowsphere app people see and click: an Ebiten game that generates
// grids, explores the sphere, fine-tunes on the user's own images and saves and loads
// weights. The browser page (package wasm) and the desktop command (ui/cmd/flowsphere)
// start it with Options and a Host, and drive it for automation through App.
//
// The UI makes no GPU calls and never blocks: every model and backend call happens on the
// engine's goroutine (package ui/engine). A frame only reads the engine's latest published
// Frame and queues commands, so it never waits on the GPU.
//
// Everything is laid out on a 1280×800 logical screen drawn at the window's real
// resolution; the 32×32 images are scaled by whole numbers with nearest-neighbour
// sampling. Text is drawn glyph by glyph from the Go fonts as x/image/font faces.
//
// Importing Ebiten needs a display on Linux (it initialises GLFW at package init), so this
// package has no tests of its own: the engine is tested headless, and ui/uitest runs the
// desktop command under Xvfb.
//
// It imports model/data and ui/engine.
package ui
