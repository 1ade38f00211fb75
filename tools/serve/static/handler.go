package static

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Handler serves the files under root. A directory serves its index.html. A file FILE is
// sent as FILE.br with Content-Encoding: br when the client accepts Brotli, else as FILE.gz
// with Content-Encoding: gzip when it accepts gzip, each only when the archive is at least
// as new as FILE, so a stale archive never hides a rebuilt file.
func Handler(root string) http.Handler { return handler{root: root} }

type handler struct{ root string }

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	if hidden(name) {
		http.NotFound(w, r)
		return
	}
	full := filepath.Join(h.root, filepath.FromSlash(name))
	fi, err := os.Stat(full)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			// Relative links in the index resolve against the directory only with the slash.
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		name, full = path.Join(name, "index.html"), filepath.Join(full, "index.html")
		fi, err = os.Stat(full)
	}
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ContentType(name))
	// Revalidate every time: a rebuilt app.wasm or weight file shows up on the next reload.
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Vary", "Accept-Encoding")
	for _, e := range encodings {
		if !Accepts(r.Header.Get("Accept-Encoding"), e.name) {
			continue
		}
		if z, err := os.Stat(full + e.suffix); err == nil && z.Mode().IsRegular() && !z.ModTime().Before(fi.ModTime()) {
			full, fi = full+e.suffix, z
			hdr.Set("Content-Encoding", e.name)
			break
		}
	}
	f, err := os.Open(full)
	if err != nil {
		hdr.Del("Content-Encoding")
		http.Error(w, "cannot open "+name, http.StatusInternalServerError)
		return
	}
	defer f.Close()
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// hidden reports whether a clean URL path names a dot file or lies in a dot folder (.git):
// those are not part of the site.
func hidden(name string) bool {
	for seg := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}
