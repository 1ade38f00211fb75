package eval

import (
	"flowsphere/model/gen"
	"flowsphere/model/refiner"
	"flowsphere/model/tensor"
)

// DenoiseTimes are the flow times at which the refiner's x-prediction is measured: the
// sampler's grid for N = 4 and one late time.
var DenoiseTimes = []float64{0, 0.25, 0.5, 0.75, 0.9}

// denoiseStream is the noise stream of the denoising measurement's ε.
const denoiseStream = 3

// Denoised is the refiner's x-prediction quality at one time t on held-out images: each
// image x is encoded and decoded (x̂0, with its decoder tokens), coupled as in training,
// x_t = (1−t)·(r·ε + (1−r)·x̂0) + t·x, and refined once, R(x_t, t), against x. A refiner that
// uses its conditioning beats the decode x̂0 (Reconstruction.PSNR) at every t; one that only
// denoises its input does not at t = 0, where the sampler starts.
type Denoised struct {
	T    float64  `json:"t"`
	PSNR Decibels `json:"psnr"` // of R(x_t, t) against x, [0, 1] scale
}

// denoiser measures the refiner's x-predictions on batches the reconstruction has decoded.
type denoiser struct {
	m         *gen.Model
	acts      *refiner.Acts
	start, xt *tensor.Tensor // x_start and x_t: [batch, 3, H, W]
	times     []float32      // [batch]
	sqErr     []float64      // summed MSE per DenoiseTimes entry
	seed, ctr uint64
}

func newDenoiser(b tensor.Backend, m *gen.Model, batch int, seed uint64) *denoiser {
	c := m.Cfg
	return &denoiser{
		m: m, acts: m.Ref.NewActs(b, batch), seed: seed,
		start: b.New(batch, c.Channels, c.Image, c.Image), xt: b.New(batch, c.Channels, c.Image, c.Image),
		times: make([]float32, batch), sqErr: make([]float64, len(DenoiseTimes)),
	}
}

func (d *denoiser) free(b tensor.Backend) {
	d.acts.Free(b)
	b.Free(d.start)
	b.Free(d.xt)
}

// add measures the first n images of one batch. x, dec: [batch, 3, H, W] the originals and
// their decodes on the backend, xHost: [batch·pixels] the originals on the host; hidden:
// [batch·T, E] the decoder tokens; v: [batch, L] the encodings.
func (d *denoiser) add(b tensor.Backend, x, dec *tensor.Tensor, xHost []float32, hidden, v *tensor.Tensor, n int) error {
	c := d.m.Cfg
	all := x.Len()
	b.Rand(d.start, all, d.seed, denoiseStream<<32+d.ctr, tensor.Normal)
	d.ctr++
	r := float32(c.Ratio)
	b.Axpby(d.start, dec, 1-r, r) // x_start = r·ε + (1−r)·x̂0
	for k, t := range DenoiseTimes {
		b.Copy2D(d.xt, x, 1, all, 0, 0, 0, 0, false)
		b.Axpby(d.xt, d.start, float32(1-t), float32(t)) // x_t = (1−t)·x_start + t·x
		for i := range d.times {
			d.times[i] = float32(t)
		}
		d.m.Ref.Forward(b, d.acts, d.xt, hidden, v, d.times)
		pred, err := b.Download(d.acts.Pred())
		if err != nil {
			return err
		}
		d.sqErr[k] += clampedMSE(xHost, pred, n, c.Pixels())
	}
	return nil
}

// result is the PSNR per time over n images.
func (d *denoiser) result(n int) []Denoised {
	out := make([]Denoised, len(DenoiseTimes))
	for k, t := range DenoiseTimes {
		out[k] = Denoised{T: t, PSNR: psnr(d.sqErr[k] / float64(n))}
	}
	return out
}
