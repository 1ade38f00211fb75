package static

import (
	"mime"
	"path"
	"strings"
)

// types fixes the MIME types the page depends on, whatever the system's mime.types says:
// browsers compile WebAssembly while streaming only when it comes as application/wasm, and
// refuse scripts and style sheets sent as anything else.
var types = map[string]string{
	".css":  "text/css; charset=utf-8",
	".gz":   "application/gzip",
	".html": "text/html; charset=utf-8",
	".ico":  "image/x-icon",
	".jpg":  "image/jpeg",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".md":   "text/markdown; charset=utf-8",
	".png":  "image/png",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
	".wasm": "application/wasm",
	".zst":  "application/octet-stream", // weight files: the page decompresses them itself
}

// ContentType is the MIME type served for a file called name.
func ContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
