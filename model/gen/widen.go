package gen

import (
	"fmt"
	"math"

	"flowsphere/model/tensor"
)

// newChannelScale shrinks the fresh initialisation of the channels a widened latent adds,
// so that the widened model starts close to the narrow one and finds its own use for them.
const newChannelScale = 0.1

// latentParams are the parameters whose shape follows the latent width D, with the axis
// of length D: the encoder's head (its rows) and the decoder's and refiner's latent inputs
// (their columns).
var latentParams = map[string]int{"enc.head.w": 0, "dec.embed.w": 1, "refiner.latent.w": 1}

// Widen returns a copy of m with latent channels per token widened to latent (> m's): every
// other parameter is copied, the old channels keep their weights and the new ones start from
// a fresh initialisation (seed) shrunk by newChannelScale. Spherify normalises over all
// T·D values, so with the new channels near zero the old ones arrive sqrt(D_new/D_old) times
// larger; the decoder's and refiner's weights on them are divided by that, so the widened
// model starts computing almost what m does. The prior is dropped (the encodings change).
func Widen(b tensor.Backend, m *Model, latent int, seed uint64) (*Model, error) {
	old := m.Cfg.Latent
	if latent <= old {
		return nil, fmt.Errorf("gen: widening the latent from %d to %d channels: the new width must be larger", old, latent)
	}
	cfg := m.Cfg
	cfg.Latent = latent
	w, err := New(b, cfg, seed)
	if err != nil {
		return nil, err
	}
	w.Loops, w.Temperature = m.Loops, m.Temperature
	src, err := b.Download(m.Params.Values)
	if err != nil {
		w.Free(b)
		return nil, err
	}
	dst, err := b.Download(w.Params.Values)
	if err != nil {
		w.Free(b)
		return nil, err
	}
	from := map[string][]float32{}
	for i, v := range m.Params.Split(src) {
		from[m.Params.List[i].Name] = v
	}
	compensate := 1 / math.Sqrt(float64(latent)/float64(old))
	for i, v := range w.Params.Split(dst) {
		p := w.Params.List[i]
		o := from[p.Name]
		axis, widened := latentParams[p.Name]
		switch {
		case !widened && len(o) == len(v):
			copy(v, o)
		case widened && axis == 0: // rows: [D, E]
			e := p.Shape[1]
			scaleAll(v, newChannelScale)
			copy(v[:old*e], o)
		case widened: // columns: [E, D]
			rows := p.Shape[0]
			scaleAll(v, newChannelScale)
			for r := range rows {
				for c := range old {
					v[r*latent+c] = float32(float64(o[r*old+c]) * compensate)
				}
			}
		default:
			w.Free(b)
			return nil, fmt.Errorf("gen: parameter %s has %d values in the %d-channel model and %d after widening", p.Name, len(o), old, len(v))
		}
	}
	b.Upload(w.Params.Values, dst)
	return w, nil
}

// scaleAll multiplies every value of v by k.
func scaleAll(v []float32, k float32) {
	for i := range v {
		v[i] *= k
	}
}
