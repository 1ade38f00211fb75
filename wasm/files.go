//go:build js

package main

import (
	"syscall/js"

	"flowsphere/ui"
)

// watchFileInput forwards the files picked with the page's <input type=file id=files> to
// out, one pick at a time. The change callback only takes the list and starts a goroutine:
// reading a file waits on a promise.
func watchFileInput(out chan<- ui.File) {
	input := element("files")
	input.Call("addEventListener", "change", js.FuncOf(func(js.Value, []js.Value) any {
		list := js.Global().Get("Array").Call("from", input.Get("files"))
		input.Set("value", "") // picking the same files again fires change again
		go readFiles(list, out)
		return nil
	}))
}

// readFiles reads every file of one pick, then sends them together so that the app gets
// them as one batch. A file that cannot be read is sent empty: the app names it in its
// error message.
func readFiles(list js.Value, out chan<- ui.File) {
	files := make([]ui.File, list.Length())
	for i := range files {
		f := list.Index(i)
		files[i].Name = f.Get("name").String()
		if buf, err := await(f.Call("arrayBuffer")); err == nil {
			files[i].Data = bytesFromJS(js.Global().Get("Uint8Array").New(buf))
		}
	}
	for _, f := range files {
		out <- f
	}
}
