//go:build js

package main

import (
	"errors"
	"syscall/js"
)

// page is window.flowspherePage, the helpers of site/*.js.
func page() js.Value { return js.Global().Get("flowspherePage") }

// element returns the page element with the given id.
func element(id string) js.Value {
	return js.Global().Get("document").Call("getElementById", id)
}

// setStatus shows state (a ui.State* constant) and text in #status.
func setStatus(state, text string) { page().Call("status", state, text) }

// await blocks the calling goroutine until the promise p settles. It must not run in a
// js.FuncOf callback: the promise can only settle after the callback has returned.
func await(p js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	done := make(chan outcome, 1) // buffered: the callbacks must never block
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{v: arg(args, 0)}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{err: jsError(arg(args, 0))}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	o := <-done
	return o.v, o.err
}

// promise returns a JS promise settled by fn, which runs on a goroutine of its own so it
// may block: the caller, usually a js.FuncOf callback, returns at once.
func promise(fn func() (any, error)) js.Value {
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			v, err := fn()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	defer executor.Release() // the Promise constructor calls it before returning
	return js.Global().Get("Promise").New(executor)
}

// arg is args[i], or undefined when the caller passed fewer arguments.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// jsError turns a rejection reason or thrown value into a Go error with its message.
func jsError(v js.Value) error {
	if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
		return errors.New(v.Get("message").String())
	}
	return errors.New(js.Global().Call("String", v).String())
}

// bytesToJS copies b into a new Uint8Array.
func bytesToJS(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

// bytesFromJS copies a Uint8Array into a new slice.
func bytesFromJS(u js.Value) []byte {
	b := make([]byte, u.Get("length").Int())
	js.CopyBytesToGo(b, u)
	return b
}
