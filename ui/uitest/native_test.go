package uitest

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/weights"
)

// TestNativeScreenshots runs the desktop app for a few frames in each tab and checks that
// the screenshots show a drawn UI: the right size and many colours, not a blank window.
func TestNativeScreenshots(t *testing.T) {
	display := xDisplay(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "flowsphere")
	build := exec.Command("go", "build", "-o", bin, "flowsphere/ui/cmd/flowsphere")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the desktop app (Ebiten needs cgo and the X11/GL headers: libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev libgl1-mesa-dev libxxf86vm-dev): %v\n%s", err, out)
	}
	tiny := filepath.Join(dir, "tiny"+weights.Ext)
	writeTinyWeights(t, tiny)
	var images []string
	for i := range 8 {
		p := filepath.Join(dir, fmt.Sprintf("img%d.png", i))
		writePNG(t, p, testImage(i))
		images = append(images, p)
	}
	// The fine-tune run keeps its state in the store; the restore run starts from it.
	tests := []struct {
		name, store string
		args        []string
	}{
		{"explore", "store-explore", nil},
		{"finetune", "store-finetune", append([]string{"-train", "40"}, images...)},
		{"restored", "store-finetune", []string{"-train", "5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shot := filepath.Join(dir, tc.name+".png")
			args := append([]string{"-backend", "cpu", "-weights", tiny, "-store", filepath.Join(dir, tc.store),
				"-out", dir, "-screenshot", shot, "-frames", "20"}, tc.args...)
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "DISPLAY="+display)
			out, err := runWithin(cmd, 3*time.Minute)
			if err != nil {
				t.Fatalf("flowsphere %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			img := readPNG(t, shot)
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 {
				t.Fatalf("screenshot is %v, want 1280×800", b)
			}
			if n := colours(img); n < 50 {
				t.Fatalf("screenshot has %d colours: nothing drawn", n)
			}
			keep(t, shot)
			if tc.name == "restored" && !strings.Contains(string(out), "restored the fine-tune") {
				t.Fatalf("the fine-tune state was not restored:\n%s", out)
			}
		})
	}
}

// xDisplay returns a display to use: $DISPLAY, or a new Xvfb server stopped at the end.
func xDisplay(t *testing.T) string {
	if d := os.Getenv("DISPLAY"); d != "" {
		return d
	}
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("no DISPLAY and no Xvfb to make one (apt-get install xvfb)")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// -displayfd: Xvfb picks a free display number and writes it to fd 3 once it is ready.
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1600x1000x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatal("Xvfb exited without a display")
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb did not start within 30 s")
	}
	return ""
}

// runWithin runs cmd, killing it after d.
func runWithin(cmd *exec.Cmd, d time.Duration) ([]byte, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.Bytes(), err
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		return out.Bytes(), fmt.Errorf("still running after %s", d)
	}
}

// writeTinyWeights writes a freshly initialised tiny model.
func writeTinyWeights(t *testing.T, path string) {
	cfg, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	defer b.Close()
	m, err := gen.New(b, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := m.ToFile(b, m.Params.Values, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := weights.WriteFile(path, f, weights.F16); err != nil {
		t.Fatal(err)
	}
}

// testImage is a 48×48 picture: a coloured disc on a gradient, different for each i.
func testImage(i int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 48, 48))
	for y := range 48 {
		for x := range 48 {
			c := color.RGBA{uint8(4 * x), uint8(4 * y), uint8(30 * i), 255}
			if dx, dy := x-24, y-24; dx*dx+dy*dy < 100+20*i {
				c = color.RGBA{uint8(200 - 20*i), uint8(40 * i), 90, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func writePNG(t *testing.T, path string, img image.Image) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// colours counts the distinct colours of img.
func colours(img image.Image) int {
	seen := map[color.RGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			seen[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
		}
	}
	return len(seen)
}

// keep copies a screenshot into $FLOWSPHERE_ARTIFACTS, if set.
func keep(t *testing.T, path string) {
	dir := os.Getenv("FLOWSPHERE_ARTIFACTS")
	if dir == "" {
		t.Logf("screenshot %s (set FLOWSPHERE_ARTIFACTS to keep it)", path)
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "native-"+filepath.Base(path))
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", dst)
}
