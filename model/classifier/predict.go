package classifier

import (
	"fmt"

	"flowsphere/model/tensor"
)

// ApplyBatch is a good batch for Apply: the network is small, so large batches cost
// little memory and amortise each call.
const ApplyBatch = 256

// Outputs are the classifier's answers for a set of images.
type Outputs struct {
	Features [][]float32 // the feature layer: [n][Hidden]
	Probs    [][]float32 // softmax of the logits: [n][Classes]
}

// Apply runs the classifier on every image of src, batch images at a time (the last batch
// padded), calling add with the images each batch finished (add may be nil).
func (c *Classifier) Apply(b tensor.Backend, src Images, batch int, add func(int)) (Outputs, error) {
	if src.Pixels != c.Cfg.Pixels() {
		return Outputs{}, fmt.Errorf("classifier: images of %d values, the classifier reads %d (%d×%d×%d)",
			src.Pixels, c.Cfg.Pixels(), c.Cfg.Channels, c.Cfg.Image, c.Cfg.Image)
	}
	batch = max(1, min(batch, src.N))
	a := c.NewActs(b, batch)
	defer a.Free(b)
	host := make([]float32, batch*src.Pixels)
	var out Outputs
	for from := 0; from < src.N; from += batch {
		to := min(src.N, from+batch)
		clear(host[(to-from)*src.Pixels:])
		src.Fill(host, from, to)
		b.Upload(a.X, host)
		c.Forward(b, a)
		feats, err := b.Download(a.Features())
		if err != nil {
			return Outputs{}, err
		}
		logits, err := b.Download(a.Logits())
		if err != nil {
			return Outputs{}, err
		}
		h := c.Cfg.Hidden
		for i := range to - from {
			out.Features = append(out.Features, feats[i*h:(i+1)*h])
		}
		out.Probs = append(out.Probs, softmax(logits, to-from, c.Cfg.Classes)...)
		if add != nil {
			add(to - from)
		}
	}
	return out, nil
}

// Accuracy is the share of probs: [n][Classes] whose most probable class is labels[i].
func Accuracy(probs [][]float32, labels []int) float64 {
	correct := 0
	for i, p := range probs {
		if argmax(p) == labels[i] {
			correct++
		}
	}
	return float64(correct) / float64(max(1, len(probs)))
}

// ClassShares is the share of probs: [n][classes] whose most probable class is each class:
// the histogram of the labels the classifier gives, [classes].
func ClassShares(probs [][]float32, classes int) []float64 {
	out := make([]float64, classes)
	for _, p := range probs {
		out[argmax(p)]++
	}
	for i := range out {
		out[i] /= float64(max(1, len(probs)))
	}
	return out
}

// ConfidentShare is the share of probs: [n][Classes] whose largest probability is at least
// threshold.
func ConfidentShare(probs [][]float32, threshold float64) float64 {
	confident := 0
	for _, p := range probs {
		if float64(p[argmax(p)]) >= threshold {
			confident++
		}
	}
	return float64(confident) / float64(max(1, len(probs)))
}
