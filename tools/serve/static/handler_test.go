package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// site writes a small site into a temporary folder: the app and its gzip and Brotli
// archives (the handler never decodes them, so the Brotli one is a marker), a file with a
// gzip archive only, a file whose archives are older than itself, and files of each type
// the page uses.
func site(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"index.html":                         "<!doctype html>",
		"site/app.wasm":                      "\x00asm wasm body",
		"site/app.css":                       "body{}",
		"site/page.js":                       "let x",
		"site/store.js":                      "let y",
		"site/stale.js":                      "new",
		"site/screenshot.png":                "\x89PNG",
		"pretrained/emoji32.safetensors.zst": "\x28\xb5\x2f\xfd",
		".git/config":                        "secret",
		"site/.hidden":                       "secret",
	}
	for name, body := range files {
		write(t, filepath.Join(root, name), []byte(body))
	}
	write(t, filepath.Join(root, "site/app.wasm.gz"), gzipped(t, files["site/app.wasm"]))
	write(t, filepath.Join(root, "site/app.wasm.br"), []byte(brotliMarker))
	write(t, filepath.Join(root, "site/store.js.gz"), gzipped(t, files["site/store.js"]))
	old := time.Now().Add(-time.Hour)
	for _, stale := range []string{"site/stale.js.gz", "site/stale.js.br"} {
		write(t, filepath.Join(root, stale), gzipped(t, "old"))
		if err := os.Chtimes(filepath.Join(root, stale), old, old); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// brotliMarker is the body of the test site's app.wasm.br.
const brotliMarker = "brotli archive of app.wasm"

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler(site(t)))
	defer srv.Close()
	// The default transport would ask for gzip and decode it silently; these tests look at
	// the raw responses.
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	tests := []struct {
		name, method, path, accept string
		status                     int
		typ, encoding, body        string // body "" is not checked
	}{
		{"index", "GET", "/", "", 200, "text/html; charset=utf-8", "", "<!doctype html>"},
		{"wasm plain", "GET", "/site/app.wasm", "", 200, "application/wasm", "", "\x00asm wasm body"},
		{"wasm brotli", "GET", "/site/app.wasm", "gzip, deflate, br", 200, "application/wasm", "br", brotliMarker},
		{"wasm gzip", "GET", "/site/app.wasm", "gzip, deflate", 200, "application/wasm", "gzip", ""},
		{"wasm brotli refused", "GET", "/site/app.wasm", "br;q=0, gzip", 200, "application/wasm", "gzip", ""},
		{"wasm both refused", "GET", "/site/app.wasm", "gzip;q=0, br;q=0", 200, "application/wasm", "", "\x00asm wasm body"},
		{"wasm any encoding", "GET", "/site/app.wasm", "*", 200, "application/wasm", "br", brotliMarker},
		{"wasm head", "HEAD", "/site/app.wasm", "gzip", 200, "application/wasm", "gzip", ""},
		{"gzip archive only", "GET", "/site/store.js", "br, gzip", 200, "text/javascript; charset=utf-8", "gzip", ""},
		{"stale archives ignored", "GET", "/site/stale.js", "br, gzip", 200, "text/javascript; charset=utf-8", "", "new"},
		{"css", "GET", "/site/app.css", "", 200, "text/css; charset=utf-8", "", "body{}"},
		{"js", "GET", "/site/page.js", "", 200, "text/javascript; charset=utf-8", "", "let x"},
		{"png", "GET", "/site/screenshot.png", "", 200, "image/png", "", ""},
		{"weights", "GET", "/pretrained/emoji32.safetensors.zst", "gzip", 200, "application/octet-stream", "", "\x28\xb5\x2f\xfd"},
		{"missing", "GET", "/site/nothing.js", "", 404, "", "", ""},
		{"git folder", "GET", "/.git/config", "", 404, "", "", ""},
		{"dot file", "GET", "/site/.hidden", "", 404, "", "", ""},
		{"escape", "GET", "/../../etc/passwd", "", 404, "", "", ""},
		{"directory without slash", "GET", "/site", "", 301, "", "", ""},
		{"post", "POST", "/index.html", "", 405, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.accept != "" {
				req.Header.Set("Accept-Encoding", tc.accept)
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if tc.status != 200 {
				return
			}
			if got := res.Header.Get("Content-Type"); got != tc.typ {
				t.Errorf("Content-Type %q, want %q", got, tc.typ)
			}
			if got := res.Header.Get("Content-Encoding"); got != tc.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tc.encoding)
			}
			if tc.encoding == "gzip" && tc.method == "GET" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				want := "\x00asm wasm body"
				if tc.path == "/site/store.js" {
					want = "let y"
				}
				if string(body) != want {
					t.Errorf("gzip body decodes to %q", body)
				}
			}
			if tc.body != "" && string(body) != tc.body {
				t.Errorf("body %q, want %q", body, tc.body)
			}
		})
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"", "gzip", false},
		{"gzip", "gzip", true},
		{"GZIP", "gzip", true},
		{"deflate, gzip;q=0.5", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"gzip; q=0.0, br", "gzip", false},
		{"gzip; q=0.0, br", "br", true},
		{"br, deflate", "gzip", false},
		{"gzip, deflate, br, zstd", "br", true},
		{"gzip, deflate", "br", false},
		{"*", "gzip", true},
		{"*", "br", true},
		{"*;q=0", "gzip", false},
		{"*;q=0, gzip", "gzip", true},
		{"gzip;q=0, *", "gzip", false},
		{"gzip, *;q=0", "br", false},
		{"gzip;q=bad", "gzip", false},
		{"identity, x-gzip", "gzip", false},
	}
	for _, tc := range tests {
		if got := Accepts(tc.header, tc.coding); got != tc.want {
			t.Errorf("Accepts(%q, %q) = %v, want %v", tc.header, tc.coding, got, tc.want)
		}
	}
}

func TestContentType(t *testing.T) {
	tests := map[string]string{
		"a.wasm":  "application/wasm",
		"A.WASM":  "application/wasm",
		"x.zst":   "application/octet-stream",
		"x.html":  "text/html; charset=utf-8",
		"x.js":    "text/javascript; charset=utf-8",
		"x.css":   "text/css; charset=utf-8",
		"x.png":   "image/png",
		"x.nopes": "application/octet-stream",
	}
	for name, want := range tests {
		if got := ContentType(name); got != want {
			t.Errorf("ContentType(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestLogged(t *testing.T) {
	var log bytes.Buffer
	srv := httptest.NewServer(Logged(Handler(site(t)), &log))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/site/app.wasm")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if got := log.String(); !strings.HasPrefix(got, "GET /site/app.wasm 200 ") || !strings.Contains(got, " gzip ") {
		t.Errorf("log line %q", got)
	}
}
