package train

import (
	"math"
	"path/filepath"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/data"
	"flowsphere/model/gen"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
	"flowsphere/model/webgpu/webgputest"
)

// synthetic is a small dataset of coloured squares on gradients, so tests need no download.
func synthetic(n, size int) *data.Set {
	s := &data.Set{Name: "synthetic", Size: size}
	for i := range n {
		px := make([]uint8, 3*size*size)
		for c := range 3 {
			for y := range size {
				for x := range size {
					v := (x*(c+1)*7 + y*(i+2)*5) % 256
					if x >= size/4+i%4 && x < size/2+i%4 && y >= size/4 && y < size*3/4 {
						v = (i * 60 * (c + 1)) % 256
					}
					px[(c*size+y)*size+x] = uint8(v)
				}
			}
		}
		s.Train = append(s.Train, data.Image{Pixels: px, Label: -1})
	}
	return s
}

func tinyTrainer(t *testing.T, b tensor.Backend, opt Options) *Trainer {
	t.Helper()
	cfg, err := config.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	m, err := gen.New(b, cfg, opt.Seed)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(b, m, synthetic(12, cfg.Image), opt)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func tinyOptions(steps int) Options {
	o := DefaultOptions(steps)
	o.Batch, o.AEWarmup, o.Warmup, o.LR = 4, 2, 2, 2e-3
	return o
}

// optimizers are the optimisers every training test runs with.
var optimizers = []string{AdamW, Muon}

// forOptimizers runs test once per optimiser, with tinyOptions(steps) set to use it.
func forOptimizers(t *testing.T, steps int, test func(t *testing.T, o Options)) {
	for _, name := range optimizers {
		t.Run(name, func(t *testing.T) {
			o := tinyOptions(steps)
			o.Optimizer = name
			test(t, o)
		})
	}
}

func run(t *testing.T, tr *Trainer, steps int) []Report {
	t.Helper()
	var out []Report
	for range steps {
		tr.TrainStep()
		r, err := tr.Report()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestResumeIsExact trains 6 steps straight and 3 + checkpoint + resume + 3 on the CPU
// backend: losses and final weights must be bit-identical.
func TestResumeIsExact(t *testing.T) {
	forOptimizers(t, 6, testResumeIsExact)
}

func testResumeIsExact(t *testing.T, o Options) {
	b := cpu.New()
	straight := tinyTrainer(t, b, o)
	want := run(t, straight, 6)

	first := tinyTrainer(t, b, o)
	got := run(t, first, 3)
	path := filepath.Join(t.TempDir(), "ckpt.safetensors.zst")
	if err := first.Save(path); err != nil {
		t.Fatal(err)
	}
	resumed, err := Resume(b, path, first.Data)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, run(t, resumed, 3)...)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("step %d: resumed %+v, straight %+v", i+1, got[i], want[i])
		}
	}
	for _, pair := range [][2]*tensor.Tensor{{straight.M.Params.Values, resumed.M.Params.Values}, {straight.EMA(), resumed.EMA()}} {
		w, g := tensortest.Download(t, b, pair[0]), tensortest.Download(t, b, pair[1])
		for i := range w {
			if math.Float32bits(w[i]) != math.Float32bits(g[i]) {
				t.Fatalf("weight %d: resumed %g, straight %g", i, g[i], w[i])
			}
		}
	}
}

// TestLossGoesDown trains the tiny model on a dozen images for 60 steps.
func TestLossGoesDown(t *testing.T) {
	forOptimizers(t, 60, testLossGoesDown)
}

func testLossGoesDown(t *testing.T, o Options) {
	tr := tinyTrainer(t, cpu.New(), o)
	reps := run(t, tr, 60)
	mean := func(rs []Report) float64 {
		s := 0.0
		for _, r := range rs {
			s += r.Recon
		}
		return s / float64(len(rs))
	}
	early, late := mean(reps[:5]), mean(reps[len(reps)-5:])
	if !(late < 0.6*early) {
		t.Fatalf("reconstruction loss %g → %g: did not fall by 40%%", early, late)
	}
	if reps[len(reps)-1].Flow == 0 {
		t.Fatal("the refiner never trained")
	}
}

// TestNonFiniteGradientsSkipTheStep blows one weight up so the loss overflows: the step must
// leave every weight as it was, count as skipped and halve the learning rate.
func TestNonFiniteGradientsSkipTheStep(t *testing.T) {
	forOptimizers(t, 4, testNonFiniteGradientsSkipTheStep)
}

func testNonFiniteGradientsSkipTheStep(t *testing.T, o Options) {
	b := cpu.New()
	tr := tinyTrainer(t, b, o)
	p := tr.M.Params.List[0]
	huge := make([]float32, p.Value.Len())
	for i := range huge {
		huge[i] = 3e38
	}
	b.Upload(p.Value, huge)
	before := tensortest.Download(t, b, tr.M.Params.Values)
	r := run(t, tr, 1)[0]
	after := tensortest.Download(t, b, tr.M.Params.Values)
	for i := range before {
		if math.Float32bits(before[i]) != math.Float32bits(after[i]) {
			t.Fatalf("weight %d changed from %g to %g in a skipped step", i, before[i], after[i])
		}
	}
	if r.Skipped != 1 || tr.LRScale != 0.5 {
		t.Fatalf("report %+v, lr scale %g: want 1 skipped step and the rate halved", r, tr.LRScale)
	}
}

// TestBackendsAgree trains 20 tiny steps on the CPU and on WebGPU from the same weights,
// data and noise. The curves may drift by float32 rounding in other orders amplified by
// training: totals must agree to 2 % at every step.
func TestBackendsAgree(t *testing.T) {
	dev := webgputest.Open(t)
	forOptimizers(t, 20, func(t *testing.T, o Options) { testBackendsAgree(t, dev, o) })
}

func testBackendsAgree(t *testing.T, dev tensor.Backend, o Options) {
	cpuReps := run(t, tinyTrainer(t, cpu.New(), o), 20)
	gpuReps := run(t, tinyTrainer(t, dev, o), 20)
	for i := range cpuReps {
		c, g := cpuReps[i].Total, gpuReps[i].Total
		if math.Abs(c-g) > 0.02*math.Abs(c) {
			t.Fatalf("step %d: total loss %g on WebGPU, %g on the CPU", i+1, g, c)
		}
	}
	t.Logf("step 20 total: CPU %.6f, WebGPU %.6f", cpuReps[19].Total, gpuReps[19].Total)
}

// TestOneSubmissionPerStep checks that a training step is recorded into one command buffer:
// its uploads go through the upload arena and it submits itself at its end, so n steps
// cost n submissions.
func TestOneSubmissionPerStep(t *testing.T) {
	dev := webgputest.Open(t)
	tr := tinyTrainer(t, dev, tinyOptions(8))
	tr.TrainStep() // phase 1
	tr.TrainStep()
	tr.TrainStep() // phase 2 from here
	if err := dev.Flush(); err != nil {
		t.Fatal(err)
	}
	before := dev.Submissions()
	for range 4 {
		tr.TrainStep()
	}
	if err := dev.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := dev.Submissions() - before; got != 4 {
		t.Fatalf("4 steps made %d submissions", got)
	}
}
