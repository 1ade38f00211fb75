package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// chromium is Debian's Chromium (apt-get install chromium).
const chromium = "/usr/bin/chromium"

// browserFlags start headless Chromium quietly. Measured with Chromium 156 on Debian 12
// without a GPU: enable-unsafe-webgpu alone gives a WebGPU adapter on SwiftShader (vendor
// google, architecture swiftshader) and WebGL2 on ANGLE over SwiftShader, which Ebiten
// draws with. The often suggested --enable-features=Vulkan --use-angle=vulkan --use-vulkan=native
// still give the WebGPU adapter but no WebGL2 context, so the app could not draw: they are
// left out. enable-unsafe-swiftshader keeps WebGL on SwiftShader allowed where Chromium no
// longer falls back to it silently. Without enable-unsafe-webgpu navigator.gpu exists but
// offers no adapter: that is the "WebGPU disabled" browser.
var browserFlags = map[string]any{
	"headless":                      "new",
	"no-sandbox":                    true,
	"no-first-run":                  true,
	"disable-background-networking": true,
	"disable-component-update":      true,
	"disable-sync":                  true,
	"enable-unsafe-swiftshader":     true,
}

// webGPUFlag turns WebGPU on.
const webGPUFlag = "enable-unsafe-webgpu"

// requireGPU reports whether FLOWSPHERE_REQUIRE_GPU=1 makes a missing browser or adapter a
// failure.
func requireGPU() bool { return os.Getenv("FLOWSPHERE_REQUIRE_GPU") == "1" }

// skipOrFail skips the test, or fails it when FLOWSPHERE_REQUIRE_GPU=1.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if requireGPU() {
		t.Fatalf("FLOWSPHERE_REQUIRE_GPU=1: "+format, args...)
	}
	t.Skipf(format, args...)
}

// tab is one headless Chromium with one tab, in a fresh profile, on the test site.
type tab struct {
	t       *testing.T
	ctx     context.Context
	site    string   // base URL of the test site
	console *console // logged when the test fails or runs with -v
}

// console is what the page wrote to its console.
type console struct {
	mu    sync.Mutex
	lines []string
}

// in is the same tab for a subtest: its failures end t.
func (tb *tab) in(t *testing.T) *tab {
	c := *tb
	c.t = t
	return &c
}

// newTab builds and serves the site if that has not happened yet, and starts Chromium
// (with WebGPU when webgpu is set); the browser closes when the test ends.
func newTab(t *testing.T, webgpu bool) *tab {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		skipOrFail(t, "%s is missing (apt-get install chromium): the browser tests need it", chromium)
	}
	site := siteURL(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	for name, v := range browserFlags {
		opts = append(opts, chromedp.Flag(name, v))
	}
	if webgpu {
		opts = append(opts, chromedp.Flag(webGPUFlag, true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	tb := &tab{t: t, ctx: ctx, site: site, console: &console{}}
	collected := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		<-collected
		if (t.Failed() || testing.Verbose()) && len(tb.console.lines) > 0 {
			t.Logf("browser console:\n%s", strings.Join(tb.console.lines, "\n"))
		}
	})
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		close(collected)
		t.Fatalf("starting %s: %v", chromium, err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		defer close(collected)
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.console.mu.Lock()
			tb.console.lines = append(tb.console.lines, fmt.Sprintf("%s: %s", m.Type, m.Text))
			tb.console.mu.Unlock()
		}
	}()
	return tb
}

// open loads path (with its query) from the test site.
func (tb *tab) open(path string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(tb.site+path)); err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value into T; with
// chromedp.EvalAwaitPromise, the value the promise resolves to.
func eval[T any](tb *tab, expr string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// poll evaluates expr every half second until ok accepts its value, and returns that
// value. After timeout it fails the test, saying what it waited for and the last value.
func poll[T any](tb *tab, what, expr string, timeout time.Duration, ok func(T) bool) T {
	tb.t.Helper()
	deadline := time.Now().Add(timeout)
	var last T
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
		last, lastErr = chromedp.Run(ctx, chromedp.Evaluate[T](expr))
		cancel()
		if lastErr == nil && ok(last) {
			return last
		}
		time.Sleep(500 * time.Millisecond)
	}
	tb.t.Fatalf("waited %v for %s; last value %+v (error %v)", timeout, what, last, lastErr)
	return last
}

// upload picks files with the page's file input, as a person would.
func (tb *tab) upload(paths ...string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#files"), paths)); err != nil {
		tb.t.Fatalf("uploading %v: %v", paths, err)
	}
}

// allowDownloads saves the page's downloads into dir.
func (tb *tab) allowDownloads(dir string) {
	tb.t.Helper()
	_, err := chromedp.CallBrowser(tb.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior:     browser.SetDownloadBehaviorBehaviorAllow,
		DownloadPath: dir,
	})
	if err != nil {
		tb.t.Fatalf("allowing downloads: %v", err)
	}
}

// viewport makes the page w×h CSS pixels (headless Chromium's window of 1280×800 leaves
// the page less).
func (tb *tab) viewport(w, h int64) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		tb.t.Fatalf("viewport %d×%d: %v", w, h, err)
	}
}

// screenshot captures the page as PNG.
func (tb *tab) screenshot() []byte {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	return png
}
