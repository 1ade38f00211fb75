// Package static is the HTTP handler behind tools/serve and the browser tests: it serves a
// folder (the repository root) with the MIME types the page needs, serves a precompressed
// FILE.br or FILE.gz in place of FILE when the client accepts Brotli or gzip, hides dot
// files, and logs each request in one line. It imports nothing of ours.
package static
