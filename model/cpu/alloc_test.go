package cpu_test

import (
	"runtime"
	"testing"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
)

// The allocation counts of a training step. With GOMAXPROCS(1), as testing.AllocsPerRun
// runs, every region runs on the calling goroutine and the count is exactly that of the
// code: zero. With the pool's workers taking part — the rig's step has about 60 parallel
// regions, 50 of which wake a worker and wait for it — the runtime occasionally allocates a
// wait record (sudog) while its per-thread caches of them rebalance between the threads that
// block and the threads that wake them: a few hundred in a process's life and after each
// garbage collection, independent of tensor sizes. The parallel count allows for that
// trickle, far below the one allocation per region that allocating dispatch would cost.
const (
	allocRuns         = 10
	maxParallelAllocs = 5.0 // per step
	allocWarmupSteps  = 10
)

// mallocsPerRun is testing.AllocsPerRun without its GOMAXPROCS(1): the heap allocations
// of one call of f, averaged over runs, with the pool's workers taking part.
func mallocsPerRun(runs int, f func()) float64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(runs)
}

// TestTrainingStepAllocs checks that a training step of a block — forward, backward,
// gradient clipping, AdamW — allocates nothing on the CPU backend once its buffers exist,
// on every matmul path: kernel arguments live in reused slots, scratch in the workers, the
// BLAS call's arguments on the heap already, and dispatch to the worker pool sends on
// channels.
func TestTrainingStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, mp := range matmulPaths {
		t.Run(mp.name, func(t *testing.T) {
			be := openPath(t, mp.path, mp.adapter)
			r := newBlockRig(be, 1)
			runtime.GC()
			for range allocWarmupSteps { // fills the slots, grows the scratch, warms the runtime
				r.step(be)
			}
			step := func() { r.step(be) }
			if got := testing.AllocsPerRun(allocRuns, step); got != 0 {
				t.Errorf("AllocsPerRun: %v allocations per step, want 0", got)
			}
			got := mallocsPerRun(allocRuns, step)
			t.Logf("with the workers: %.2f allocations per step (runtime wait records)", got)
			if got >= maxParallelAllocs {
				t.Errorf("with the workers: %.2f allocations per step, want < %v", got, maxParallelAllocs)
			}
		})
	}
}

// TestOpAllocs checks every op outside the block's training step for allocations, one call
// at a time on the default backend.
func TestOpAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	be := cpu.New()
	const rows, cols = 256, 96
	x, y, z := be.New(rows, cols), be.New(rows, cols), be.New(rows, cols)
	perRow, perRow2, colsT := be.New(rows), be.New(rows), be.New(cols)
	img, tok := be.New(2, 3, 16, 16), be.New(2, 64, 12)
	scale := be.New(2)
	for _, op := range []struct {
		name string
		f    func()
	}{
		{"Axpby", func() { be.Axpby(y, x, 0.5, 2) }},
		{"RowAxpby", func() { be.RowAxpby(y, x, perRow, perRow2, rows, cols) }},
		{"Copy2D", func() { be.Copy2D(y, x, rows, cols/2, 1, cols, 0, cols, true) }},
		{"AddBroadcast", func() { be.AddBroadcast(y, colsT, rows, cols) }},
		{"SumRows", func() { be.SumRows(colsT, x, rows, cols) }},
		{"Transpose", func() { be.Transpose(z, x, 2, rows/2, cols) }},
		{"Act", func() { be.Act(y, x, rows*cols, tensor.GELU) }},
		{"ActBackward", func() { be.ActBackward(z, y, x, rows*cols, tensor.SiLU) }},
		{"Spherify", func() { be.Spherify(y, perRow, x, rows, cols) }},
		{"SpherifyBackward", func() { be.SpherifyBackward(z, y, x, perRow, rows, cols) }},
		{"Patchify", func() { be.Patchify(tok, img, 2, 3, 16, 16, 2) }},
		{"Unpatchify", func() { be.Unpatchify(img, tok, 2, 3, 16, 16, 2) }},
		{"SmoothL1", func() { be.SmoothL1(perRow, z, x, y, rows, cols, 0.1, 1) }},
		{"MSE", func() { be.MSE(perRow, z, x, y, perRow2, rows, cols, 1) }},
		{"Cosine", func() { be.Cosine(perRow, z, nil, x, y, rows, cols, 1) }},
		{"Rand", func() { be.Rand(x, rows*cols, 1, 2, tensor.Normal) }},
		{"GradClip", func() { be.GradClip(scale, x, rows*cols, 1) }},
	} {
		op.f()
		if got := testing.AllocsPerRun(10, op.f); got != 0 {
			t.Errorf("%s: %v allocations per call, want 0", op.name, got)
		}
	}
}
