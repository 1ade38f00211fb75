package e2e

import (
	"context"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Faults the tests inject into the browser's WebGPU before the page's scripts run, so that
// site/gpu.js wraps the faulty calls as it wraps the browser's own.
const (
	// failMaps rejects the next window.failMaps buffer maps, as a browser rejects a map it
	// cannot do.
	failMaps = `(() => {
		if (typeof GPUBuffer === "undefined") return;
		const mapAsync = GPUBuffer.prototype.mapAsync;
		window.failMaps = 0;
		GPUBuffer.prototype.mapAsync = function (...args) {
			if (window.failMaps > 0) {
				window.failMaps--;
				return Promise.reject(new DOMException("map refused by the test", "OperationError"));
			}
			return mapAsync.apply(this, args);
		};
	})()`

	// destroyNewDevices destroys every device created while window.destroyNewDevices is
	// set, as soon as it is created: a GPU that keeps getting lost.
	destroyNewDevices = `(() => {
		if (typeof GPUAdapter === "undefined") return;
		const requestDevice = GPUAdapter.prototype.requestDevice;
		window.destroyNewDevices = false;
		GPUAdapter.prototype.requestDevice = async function (...args) {
			const device = await requestDevice.apply(this, args);
			if (window.destroyNewDevices) device.destroy();
			return device;
		};
	})()`
)

// beforeLoad makes every page the tab opens from now on run script before its own.
func (tb *tab) beforeLoad(script string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
	if err != nil {
		tb.t.Fatalf("adding a script to the pages: %v", err)
	}
}
