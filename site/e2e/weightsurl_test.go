package e2e

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"flowsphere/weights"
)

// defaultWeights is the weight file the page loads by default (site/page.js), served from
// the test site as from the repository.
const defaultWeights = "pretrained/emoji32.safetensors.zst"

// TestWeightsURL: a ?weights= URL that answers with an HTTP error, that cannot be reached or
// that holds a corrupt file is an error in #status naming the URL and the cause, and the app
// loads the default model instead and says so.
func TestWeightsURL(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true) // builds the site and its fixtures
	broken, err := os.ReadFile(fixture(brokenWeights))
	if err != nil {
		t.Fatal(err)
	}
	_, corrupt := weights.Read(bytes.NewReader(broken), weights.DefaultLimits)
	for _, c := range []struct {
		name, url, cause string
	}{
		{"http error", "e2e/missing.safetensors.zst", "HTTP 404 Not Found"},
		{"unreachable", "http://127.0.0.1:1/w.safetensors.zst", "Failed to fetch"},
		{"corrupt", "e2e/" + brokenWeights, corrupt.Error()},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := tb.in(t)
			tb.open("?weights=" + c.url + "&loops=" + tinyLoops + onWebGPU)
			says := []string{c.url + ": ", c.cause, "loaded the default model " + defaultWeights + " instead"}
			st := tb.waitState("an error naming "+c.url, gridTimeout, func(s appState) bool { return s.State == "error" })
			line := tb.status()
			for _, part := range says {
				if !strings.Contains(st.Error, part) || !strings.Contains(line.Text, part) {
					t.Errorf("the app says %q and #status %q; want both to say %q", st.Error, line.Text, part)
				}
			}
			if st.Model != "emoji32.safetensors.zst" {
				t.Errorf("the app runs %q, want the default model", st.Model)
			}
		})
	}
}
