package static

import (
	"strconv"
	"strings"
)

// encoding is a precompressed variant of a file: FILE+suffix, sent with Content-Encoding name.
type encoding struct{ name, suffix string }

// encodings are the variants the handler looks for, best first: Brotli's archive of the app
// is about a third smaller than gzip's, but browsers offer it only on some origins (HTTPS
// and localhost), so gzip stays as the fallback.
var encodings = []encoding{{"br", ".br"}, {"gzip", ".gz"}}

// Accepts reports whether an Accept-Encoding header allows a response in the content coding
// name: listed with a non-zero quality, or, when not listed, covered by a "*" with one.
func Accepts(header, name string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		switch coding {
		case name:
			return quality(params) > 0
		case "*":
			star = quality(params) > 0
		}
	}
	return star
}

// quality is the q parameter of one Accept-Encoding entry, 1 when absent.
func quality(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0
			}
			return q
		}
	}
	return 1
}
