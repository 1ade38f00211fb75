package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// statusLogScript runs before the page's own scripts: it wraps flowspherePage.status, which
// site/page.js defines and everything calls, so that window.statusLog keeps every status the
// page showed with the milliseconds since the page began to load.
const statusLogScript = `(() => {
	window.statusLog = [];
	const page = (window.flowspherePage = {});
	let show;
	Object.defineProperty(page, "status", {
		set(f) { show = f; },
		get() { return (state, text) => { statusLog.push({ms: performance.now(), state, text}); show(state, text); }; },
	});
})()`

// statusEntry is one status the page showed.
type statusEntry struct {
	Ms    float64 `json:"ms"`
	State string  `json:"state"`
	Text  string  `json:"text"`
}

// logStatuses makes every page the tab opens from now on keep its statuses (statusLog).
func (tb *tab) logStatuses() {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: statusLogScript})
	if err != nil {
		tb.t.Fatalf("installing the status log: %v", err)
	}
}

// statuses returns the statuses the page has shown so far.
func (tb *tab) statuses() []statusEntry {
	tb.t.Helper()
	return eval[[]statusEntry](tb, "window.statusLog")
}

// firstStatus returns the first status that contains text, and whether there was one.
func firstStatus(log []statusEntry, text string) (statusEntry, bool) {
	for _, e := range log {
		if strings.Contains(e.Text, text) {
			return e, true
		}
	}
	return statusEntry{}, false
}

// logTimeline logs the statuses with their times when the test fails or runs with -v.
func logTimeline(t *testing.T, log []statusEntry) {
	t.Helper()
	if !t.Failed() && !testing.Verbose() {
		return
	}
	for _, e := range log {
		if !strings.HasPrefix(e.Text, "loading: downloading the app: ") { // one per chunk
			t.Logf("%7.0f ms  %s  %s", e.Ms, e.State, e.Text)
		}
	}
}
