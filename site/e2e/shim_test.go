package e2e

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestShimWriteBuffer: site/gpu.js keeps the binding's WriteBuffer working when the Go
// program's memory grows in the middle of it, which detaches the memory's buffer: a view
// asked of the detached buffer, and a view detached before writeBuffer, both still write
// the right bytes. A stand-in memory plays the Go program's.
func TestShimWriteBuffer(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	tb.open("e2e/" + shimPage)
	if !eval[bool](tb, "!!navigator.gpu") {
		skipOrFail(t, "the browser has no WebGPU")
	}
	got := eval[[]int](tb, `(async () => {
		const mem = new WebAssembly.Memory({initial: 1, maximum: 4});
		window.wasm = {instance: {exports: {mem}}};
		new Uint8Array(mem.buffer).set([1, 2, 3, 4], 64);
		const before = new Uint8ClampedArray(mem.buffer, 64, 4);
		const old = mem.buffer;
		mem.grow(1); // detaches old and the view before
		const after = new Uint8ClampedArray(old, 64, 4);
		const adapter = await navigator.gpu.requestAdapter();
		if (!adapter) return null;
		const device = await adapter.requestDevice();
		const buf = device.createBuffer({size: 8, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ});
		device.queue.writeBuffer(buf, 0, before, 0, 4);
		device.queue.writeBuffer(buf, 4, after, 0, 4);
		await buf.mapAsync(GPUMapMode.READ);
		return [...new Uint8Array(buf.getMappedRange())];
	})()`, chromedp.EvalAwaitPromise)
	if got == nil {
		skipOrFail(t, "the browser offers no WebGPU adapter")
	}
	if want := []int{1, 2, 3, 4, 1, 2, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("the buffer holds %v after writing detached views, want %v", got, want)
	}
}
