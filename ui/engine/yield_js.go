package engine

import "time"

// yieldToHost lets the browser's event loop run. Go in WebAssembly runs goroutines one at
// a time and only returns to JavaScript when every goroutine is blocked, so an engine busy
// with command after command would starve Ebiten's frames (requestAnimationFrame) and the
// page's events; a short sleep parks the engine and hands control back between its units
// of work.
func yieldToHost() { time.Sleep(time.Millisecond) }

// yieldFrame lets the browser draw a frame (a 60 Hz frame lasts 16.7 ms), so that what the
// engine just published is on screen before its next unit of work, which may take seconds.
func yieldFrame() { time.Sleep(20 * time.Millisecond) }
