package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/weights"
)

// Fixture files, written into the test site's e2e/ folder.
const (
	tinyWeights   = "tiny.safetensors.zst"   // a tiny model, loaded with ?weights=
	brokenWeights = "broken.safetensors.zst" // a weight file cut short
	notAnImage    = "notes.png"              // text named like an image
	emptyFile     = "empty.jpg"              // zero bytes
	shimPage      = "shim.html"              // site/gpu.js alone, without the app
	trainImages   = 8                        // image0.png … image7.png
)

// tinyPage opens the app on the tiny model with 2 encode→decode loops: it runs in seconds on
// SwiftShader, where the default small model would take minutes per grid. It asks for
// WebGPU, which the tests exercise, so the page does not time SwiftShader against the CPU
// first (TestBackendChoice does).
const tinyPage = "?weights=e2e/" + tinyWeights + "&loops=" + tinyLoops + onWebGPU

// onWebGPU is the query parameter that keeps the app on WebGPU, software adapter or not.
const onWebGPU = "&backend=webgpu"

// tinyLoops is tinyPage's loop count.
const tinyLoops = "2"

// writeFixtures writes every fixture into dir.
func writeFixtures(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tiny, err := tinyModel()
	if err != nil {
		return err
	}
	files := map[string][]byte{
		tinyWeights:   tiny,
		brokenWeights: tiny[:len(tiny)/2],
		notAnImage:    []byte("these are notes, not an image\n"),
		emptyFile:     nil,
		shimPage:      []byte(`<!doctype html><script src="../site/gpu.js"></script>`),
	}
	for i := range trainImages {
		files[imageName(i)] = disc(i)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// imageName is the name of fine-tune image i.
func imageName(i int) string { return fmt.Sprintf("image%d.png", i) }

// tinyModel is a weight file of the tiny config whose parameters are jittered away from
// their initial values: with its zero-initialised output layers untouched, every image
// would be flat grey, and the tests could not see that a grid was drawn.
func tinyModel() ([]byte, error) {
	cfg, err := config.Preset("tiny")
	if err != nil {
		return nil, err
	}
	b := cpu.New()
	m, err := gen.New(b, cfg, 7)
	if err != nil {
		return nil, err
	}
	defer m.Free(b)
	values, err := b.Download(m.Params.Values)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range values {
		values[i] += float32(0.1 * rng.NormFloat64())
	}
	b.Upload(m.Params.Values, values)
	m.Loops, _ = strconv.Atoi(tinyLoops) // the file asks for them itself, for ?bench's generation
	f, err := m.ToFile(b, m.Params.Values, map[string]string{"note": "browser test fixture: tiny config, jittered initial weights"})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := weights.Write(&out, f, weights.F32); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// disc is a 32×32 PNG of a coloured disc on white, different for each i.
func disc(i int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 32, 32))
	c := color.NRGBA{R: uint8(40 * i), G: uint8(255 - 30*i), B: uint8(90 + 20*i), A: 255}
	r := 6 + i
	for y := range 32 {
		for x := range 32 {
			dx, dy := x-16, y-16
			if dx*dx+dy*dy <= r*r {
				img.Set(x, y, c)
			} else {
				img.Set(x, y, color.White)
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img) // cannot fail on a bytes.Buffer
	return b.Bytes()
}
