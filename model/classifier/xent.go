package classifier

import "math"

// softmax returns the class probabilities of logits: [rows, classes] as [rows][classes].
func softmax(logits []float32, rows, classes int) [][]float32 {
	out := make([][]float32, rows)
	for r := range out {
		l := logits[r*classes : (r+1)*classes]
		top := l[0]
		for _, v := range l {
			top = max(top, v)
		}
		p := make([]float32, classes)
		sum := 0.0
		for i, v := range l {
			e := math.Exp(float64(v - top))
			p[i] = float32(e)
			sum += e
		}
		for i := range p {
			p[i] = float32(float64(p[i]) / sum)
		}
		out[r] = p
	}
	return out
}

// crossEntropy is the mean softmax cross-entropy of probs: [rows][classes] (from softmax)
// against labels: [rows]. It writes the gradient of that mean with respect to the logits,
// (p − onehot(label))/rows, into dLogits: [rows·classes], and counts the rows whose most
// probable class is the label.
func crossEntropy(dLogits []float32, probs [][]float32, labels []int) (loss float64, correct int) {
	rows := len(probs)
	for r, p := range probs {
		classes := len(p)
		loss -= math.Log(max(float64(p[labels[r]]), 1e-30))
		if argmax(p) == labels[r] {
			correct++
		}
		for i, v := range p {
			g := v
			if i == labels[r] {
				g--
			}
			dLogits[r*classes+i] = g / float32(rows)
		}
	}
	return loss / float64(rows), correct
}

// argmax is the index of the largest value of p (the first on ties).
func argmax(p []float32) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}
