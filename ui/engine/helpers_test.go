package engine

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/weights"
)

// memStore is an in-memory Store.
type memStore struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *memStore) Get(key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key], nil
}

func (s *memStore) Put(key string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = bytes.Clone(data)
	return nil
}

func (s *memStore) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

// fakeHost records statuses and downloads.
type fakeHost struct {
	mu        sync.Mutex
	store     *memStore
	statuses  []string
	downloads map[string][]byte
}

func newHost() *fakeHost {
	return &fakeHost{store: &memStore{m: map[string][]byte{}}, downloads: map[string][]byte{}}
}

func (h *fakeHost) Status(state, text string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.statuses = append(h.statuses, state+"|"+text)
}

func (h *fakeHost) Download(name string, data []byte) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.downloads[name] = bytes.Clone(data)
	return nil
}

func (h *fakeHost) Store() Store { return h.store }

// saw reports whether a status line the host was shown contains text.
func (h *fakeHost) saw(text string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.statuses {
		if strings.Contains(s, text) {
			return true
		}
	}
	return false
}

func (h *fakeHost) download(name string) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.downloads[name]
}

// tinyWeights is a freshly initialised tiny model as weight file bytes; meta may change
// its metadata.
func tinyWeights(t *testing.T, seed uint64, meta func(map[string]string)) []byte {
	t.Helper()
	cfg, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	defer b.Close()
	m, err := gen.New(b, cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	f, err := m.ToFile(b, m.Params.Values, nil)
	if err != nil {
		t.Fatal(err)
	}
	if meta != nil {
		meta(f.Metadata)
	}
	var buf bytes.Buffer
	if err := weights.Write(&buf, f, weights.F16); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newApp starts an app on the CPU backend with tiny weights and host h. CanTrain is set,
// so it trains in chunks as it would on a GPU; 2 encode→decode loops keep grids quick.
func newApp(t *testing.T, h Host) *Engine {
	t.Helper()
	a := Start(Options{Backend: cpu.New(), BackendNote: "test", CanTrain: true, Weights: tinyWeights(t, 3, nil), WeightsName: "tiny.safetensors.zst", Host: h, Loops: 2})
	t.Cleanup(a.Close)
	return a
}

// settle waits until the app has finished its commands and is not training, and returns
// its state.
func settle(t *testing.T, a *Engine) StateSnapshot {
	t.Helper()
	return waitFor(t, a, "idle", func(s StateSnapshot) bool {
		return !s.Busy && s.State != StateLoading && s.State != StateTraining
	})
}

// waitFor polls the app's state until ok holds (the shared test machine is slow).
func waitFor(t *testing.T, a *Engine, what string, ok func(StateSnapshot) bool) StateSnapshot {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		s := a.State()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: state %+v", what, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pngFile is a small PNG image, different for each i.
func pngFile(t *testing.T, i int) File {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for y := range 40 {
		for x := range 40 {
			img.Set(x, y, color.RGBA{uint8(x * 6 * (i + 1)), uint8(y * 6), uint8(i * 40), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return File{Name: "img" + string(rune('a'+i)) + ".png", Data: buf.Bytes()}
}

// hugePNG is a PNG whose header claims w×h pixels (its pixel data is that of a 1×1 image:
// the size check must refuse it before reading any).
func hugePNG(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// Signature (8), IHDR length (4), "IHDR" (4), then width and height, 13 bytes of data
	// and the CRC of type and data.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// mentions reports whether s contains every part.
func mentions(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
