package static

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// Logged wraps h so that each request writes one line to w: method, path, status, bytes
// sent, encoding and time taken.
func Logged(h http.Handler, w io.Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		enc := sw.Header().Get("Content-Encoding")
		if enc != "" {
			enc = " " + enc
		}
		fmt.Fprintf(w, "%s %s %d %d B%s %s\n", r.Method, r.URL.RequestURI(), sw.status, sw.bytes, enc, time.Since(start).Round(time.Millisecond))
	})
}

// statusWriter remembers the status and counts the body bytes of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	n, err := s.ResponseWriter.Write(p)
	s.bytes += int64(n)
	return n, err
}
