package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestFirstGridProgress: the status says what the page does at each stage — downloading
// the app with its bytes, then the weights, then each network pass of the first grid from
// step 0 to the last — and says the AE decodes are shown while they are refined, before
// the grid is done.
func TestFirstGridProgress(t *testing.T) {
	t.Parallel()
	tb := newTab(t, false) // the CPU path, where the tiny model's grid takes a second
	tb.logStatuses()
	tb.open(firstGridPage)
	tb.waitGrid(0, gridTimeout)
	log := tb.statuses()
	passes := 1 + 2 + 7 // the first decode, 2 loops, 7 refiner calls of 4 Heun steps
	stages := []string{
		"loading: downloading the app",
		"loading: downloading the weights",
		fmt.Sprintf("loading: generating 16 images: step 0 of %d, encode→decode loops", passes),
		"refining (the AE decodes are shown)",
		fmt.Sprintf("step %d of %d", passes, passes),
		"ready: ",
	}
	at := -1.0
	for _, s := range stages {
		e, ok := firstStatus(log, s)
		if !ok || e.Ms < at {
			t.Errorf("no status says %q after the one before (at %.0f ms): %+v", s, at, e)
		}
		at = e.Ms
	}
	bytes := regexp.MustCompile(`^loading: downloading the app: [0-9.]+ [kM]B`)
	if !anyStatus(log, bytes.MatchString) {
		t.Errorf("no status counts the bytes of the app's download")
	}
	logTimeline(t, log)
}

// anyStatus reports whether some status's text satisfies ok.
func anyStatus(log []statusEntry, ok func(string) bool) bool {
	for _, e := range log {
		if ok(e.Text) {
			return true
		}
	}
	return false
}

// TestDefaultModel measures the first grid of the shipped emoji32 model as a visitor gets
// it: with WebGPU on SwiftShader available (the page chooses the faster backend) and with
// WebGPU turned off, the seconds from opening the page to the AE decodes and to the whole
// grid, and checks that the decodes come first. It takes minutes on a small machine, so it
// runs only when FLOWSPHERE_SCREENSHOT names the file for the README's screenshot (of the
// first case; a relative path is taken from the repository's root), as the README says.
func TestDefaultModel(t *testing.T) {
	out := os.Getenv("FLOWSPHERE_SCREENSHOT")
	if out == "" {
		t.Skip("FLOWSPHERE_SCREENSHOT is not set: the shipped model's first grid takes minutes here")
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(repo, out)
	}
	for _, c := range []struct {
		name   string
		webgpu bool
	}{{"webgpu available", true}, {"webgpu off", false}} {
		t.Run(c.name, func(t *testing.T) {
			tb := newTab(t, c.webgpu)
			tb.viewport(1280, 800) // the app's layout, drawn 1:1
			tb.logStatuses()
			start := time.Now()
			tb.open("")
			st := tb.waitGrid(0, 10*time.Minute)
			took := time.Since(start)
			log := tb.statuses()
			decodes, ok := firstStatus(log, "refining (the AE decodes are shown)")
			ready, _ := firstStatus(log, "ready: ")
			if !ok || decodes.Ms > ready.Ms {
				t.Errorf("the decodes were not shown before the grid was done")
			}
			t.Logf("%s: decodes shown %.1f s and the first grid %.1f s after the page began to load (%.1f s from opening it); %s",
				c.name, decodes.Ms/1000, ready.Ms/1000, took.Seconds(), st.Backend)
			logTimeline(t, log)
			shot := tb.screenshot()
			saveArtifact(t, "default-model-"+strings.ReplaceAll(c.name, " ", "-")+".png", shot)
			if c.webgpu {
				if err := os.WriteFile(out, shot, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
