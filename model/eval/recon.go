package eval

import (
	"flowsphere/model/classifier"
	"flowsphere/model/gen"
	"flowsphere/model/quality"
	"flowsphere/model/tensor"
)

// reconstruct encodes the images of src to the sphere and decodes them (autoencoder only),
// batch at a time (the last batch padded), and measures the clamped decodes against the
// originals; add reports finished images.
func reconstruct(b tensor.Backend, m *gen.Model, src classifier.Images, batch int, add func(int)) (Reconstruction, error) {
	c := m.Cfg
	batch = max(1, min(batch, src.N))
	x := b.New(batch, c.Channels, c.Image, c.Image)
	defer b.Free(x)
	enc, dec := m.AE.NewEncoded(b, batch), m.AE.NewDecoded(b, batch)
	defer enc.Free(b)
	defer dec.Free(b)
	host := make([]float32, batch*src.Pixels)
	sqErr, ssim := 0.0, 0.0
	for from := 0; from < src.N; from += batch {
		to := min(src.N, from+batch)
		clear(host[(to-from)*src.Pixels:])
		src.Fill(host, from, to)
		b.Upload(x, host)
		m.AE.Encode(b, enc, x)
		m.AE.Decode(b, dec, enc.V())
		out, err := b.Download(dec.Image())
		if err != nil {
			return Reconstruction{}, err
		}
		for i := range to - from {
			orig, rec := host[i*src.Pixels:(i+1)*src.Pixels], out[i*src.Pixels:(i+1)*src.Pixels]
			for j, v := range rec {
				rec[j] = min(1, max(-1, v))
			}
			sqErr += quality.MSE(orig, rec)
			ssim += quality.SSIM(orig, rec, c.Channels, c.Image)
		}
		add(to - from)
	}
	n := float64(src.N)
	return Reconstruction{Images: src.N, PSNR: Decibels(quality.PSNR(sqErr / n)), SSIM: ssim / n}, nil
}
