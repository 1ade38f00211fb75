package eval

import (
	"flowsphere/model/classifier"
	"flowsphere/model/gen"
	"flowsphere/model/quality"
	"flowsphere/model/tensor"
)

// reconstruct encodes the images of src to the sphere and decodes them (autoencoder only),
// batch at a time (the last batch padded), and measures the clamped decodes against the
// originals, and the refiner's x-predictions from them (Denoised); it also returns the
// encodings, [src.N][L]. add reports finished images.
func reconstruct(b tensor.Backend, m *gen.Model, src classifier.Images, batch int, seed uint64, add func(int)) (Reconstruction, []Denoised, [][]float32, error) {
	c := m.Cfg
	batch = batchFor(src, batch)
	enc, dec := m.AE.NewEncoded(b, batch), m.AE.NewDecoded(b, batch)
	defer enc.Free(b)
	defer dec.Free(b)
	den := newDenoiser(b, m, batch, seed)
	defer den.free(b)
	sqErr, ssim := 0.0, 0.0
	var encoded [][]float32
	err := forBatches(b, m, src, batch, func(x *tensor.Tensor, host []float32, n int) error {
		m.AE.Encode(b, enc, x)
		if err := appendRows(b, &encoded, enc.V(), c.L(), n); err != nil {
			return err
		}
		m.AE.Decode(b, dec, enc.V())
		if err := den.add(b, x, dec.Image(), host, dec.Hidden(), enc.V(), n); err != nil {
			return err
		}
		out, err := b.Download(dec.Image())
		if err != nil {
			return err
		}
		sqErr += clampedMSE(host, out, n, src.Pixels)
		for i := range n {
			orig, rec := host[i*src.Pixels:(i+1)*src.Pixels], out[i*src.Pixels:(i+1)*src.Pixels]
			ssim += quality.SSIM(orig, rec, c.Channels, c.Image)
		}
		add(n)
		return nil
	})
	if err != nil {
		return Reconstruction{}, nil, nil, err
	}
	nf := float64(src.N)
	return Reconstruction{Images: src.N, PSNR: psnr(sqErr / nf), SSIM: ssim / nf}, den.result(src.N), encoded, nil
}

// batchFor is the batch size for src: at most batch, at most src.N, at least 1.
func batchFor(src classifier.Images, batch int) int { return max(1, min(batch, src.N)) }

// forBatches uploads the images of src batch at a time (the last batch padded with zeros) and
// calls do with the batch x: [batch, 3, H, W], its host copy [batch·pixels] and its number of
// real images.
func forBatches(b tensor.Backend, m *gen.Model, src classifier.Images, batch int, do func(x *tensor.Tensor, host []float32, n int) error) error {
	c := m.Cfg
	x := b.New(batch, c.Channels, c.Image, c.Image)
	defer b.Free(x)
	host := make([]float32, batch*src.Pixels)
	for from := 0; from < src.N; from += batch {
		n := min(src.N, from+batch) - from
		clear(host[n*src.Pixels:])
		src.Fill(host, from, from+n)
		b.Upload(x, host)
		if err := do(x, host, n); err != nil {
			return err
		}
	}
	return nil
}

// clampedMSE clamps the first n images of got to [-1, 1] in place and sums their MSEs
// against want ([0, 1] scale). want, got: [batch·pixels].
func clampedMSE(want, got []float32, n, pixels int) float64 {
	sum := 0.0
	for i := range n {
		rec := got[i*pixels : (i+1)*pixels]
		for j, v := range rec {
			rec[j] = min(1, max(-1, v))
		}
		sum += quality.MSE(want[i*pixels:(i+1)*pixels], rec)
	}
	return sum
}

// psnr is the PSNR of a mean squared error on the [0, 1] scale.
func psnr(mse float64) Decibels { return Decibels(quality.PSNR(mse)) }
