package engine

import (
	"slices"
	"time"

	"flowsphere/model/data"
	"flowsphere/model/train"
)

// Fine-tuning defaults.
const (
	defaultTarget = 500  // steps the progress bar runs toward
	maxTarget     = 1e6  // a sanity bound on the target
	maxImages     = 1024 // fine-tune images kept: far more than a drop of one's own pictures
)

// fineTune is the fine-tuning state: the images, the trainer and its progress.
type fineTune struct {
	size   int          // side the images were decoded at (the model's)
	images []data.Image // planar [3, size, size] uint8
	thumbs [][]byte     // the same as RGBA

	tr       *train.Trainer // nil until the first Train (or a restored fine-tune)
	target   int            // the progress bar's step count
	stopAt   int            // Train(n) pauses at this step; 0: at the target
	training bool
	aeOnly   bool
	losses   []LossPoint
	rate     float64 // images per second, smoothed
	preview  Grid    // fixed-seed samples from the EMA
	synced   bool    // the engine's model holds the EMA of the current step
	dirty    bool    // changed since it was last stored
}

// reset sets the defaults of a new app.
func (ft *fineTune) reset() {
	ft.target = defaultTarget
}

// clearImages forgets the images.
func (ft *fineTune) clearImages() {
	ft.images, ft.thumbs = nil, nil
}

// add appends decoded images.
func (ft *fineTune) add(ims []data.Image) {
	for _, im := range ims {
		ft.images = append(ft.images, im)
		ft.thumbs = append(ft.thumbs, bytesToRGBA(im.Pixels, ft.size))
	}
}

// step is the number of fine-tune steps taken.
func (ft *fineTune) step() int {
	if ft.tr == nil {
		return 0
	}
	return ft.tr.Step
}

// stopStep is the step training pauses at.
func (ft *fineTune) stopStep() int {
	if ft.stopAt > 0 {
		return ft.stopAt
	}
	return ft.target
}

// eta is the time until training pauses at the current rate (0 when unknown).
func (ft *fineTune) eta() time.Duration {
	if ft.rate <= 0 || ft.tr == nil {
		return 0
	}
	left := max(0, ft.stopStep()-ft.tr.Step) * ft.tr.Opt.Batch
	return time.Duration(float64(left) / ft.rate * float64(time.Second))
}

// measure folds images trained in d into the smoothed rate.
func (ft *fineTune) measure(images int, d time.Duration) {
	r := float64(images) / max(d.Seconds(), 1e-9)
	if ft.rate == 0 {
		ft.rate = r
		return
	}
	ft.rate += 0.3 * (r - ft.rate)
}

// fill copies the fine-tune state into a Frame. Slices are clipped so that later
// appends never write into memory a reader holds.
func (ft *fineTune) fill(s *Frame) {
	s.Images, s.Step, s.Target, s.AEOnly = len(ft.images), ft.step(), ft.target, ft.aeOnly
	s.ImagesPerSec, s.ETASeconds = ft.rate, ft.eta().Seconds()
	s.Thumbs, s.Losses, s.Preview = slices.Clip(ft.thumbs), slices.Clip(ft.losses), ft.preview
	s.Loss = nil
	if n := len(ft.losses); n > 0 && finite(ft.losses[n-1].Total) {
		l := ft.losses[n-1].Total
		s.Loss = &l
	}
}
