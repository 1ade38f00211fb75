package eval

import (
	"math"

	"flowsphere/model/classifier"
	"flowsphere/model/tensor"
)

// Block sizes of the nearest-neighbour search: queries and reference images per matmul.
const (
	queryBlock = 2048
	refBlock   = 1024
)

// nearest returns, for each query image, the RMSE on the [0, 1] scale to its nearest image
// of ref, all images [pixels] in [-1, 1]; add reports finished queries.
func nearest(b tensor.Backend, queries [][]float32, ref classifier.Images, add func(int)) ([]float64, error) {
	out := make([]float64, 0, len(queries))
	for from := 0; from < len(queries); from += queryBlock {
		best, err := nearestBlock(b, queries[from:min(len(queries), from+queryBlock)], ref)
		if err != nil {
			return nil, err
		}
		for _, sq := range best {
			out = append(out, math.Sqrt(max(sq, 0)/float64(ref.Pixels))/2) // [-1, 1] differences are twice [0, 1] ones
		}
		add(len(best))
	}
	return out, nil
}

// nearestBlock returns the smallest squared distance from each query to the images of ref,
// as |q|² + |r|² − 2·q·r with the dot products from one matmul per block of ref and the
// norms in float64. queries: [nq][pixels].
func nearestBlock(b tensor.Backend, queries [][]float32, ref classifier.Images) ([]float64, error) {
	p, nq := ref.Pixels, len(queries)
	qHost, rHost := make([]float32, nq*p), make([]float32, refBlock*p)
	best, qNorm := make([]float64, nq), make([]float64, nq)
	for i, im := range queries {
		copy(qHost[i*p:], im)
		qNorm[i], best[i] = sumSquares(im), math.Inf(1)
	}
	q, r, dots := b.New(nq, p), b.New(refBlock, p), b.New(nq, refBlock)
	defer b.Free(q)
	defer b.Free(r)
	defer b.Free(dots)
	b.Upload(q, qHost)
	for from := 0; from < ref.N; from += refBlock {
		nr := min(refBlock, ref.N-from)
		ref.Fill(rHost, from, from+nr) // columns past nr keep stale images and are ignored
		b.Upload(r, rHost)
		b.MatMul(dots, q, r, nil, tensor.MatMulDims{M: nq, N: refBlock, K: p, TransB: true})
		d, err := b.Download(dots) // [nq, refBlock]
		if err != nil {
			return nil, err
		}
		for j := range nr {
			rNorm := sumSquares(rHost[j*p : (j+1)*p])
			for i := range nq {
				best[i] = min(best[i], qNorm[i]+rNorm-2*float64(d[i*refBlock+j]))
			}
		}
	}
	return best, nil
}

// sumSquares is Σ v² in float64. v: [n].
func sumSquares(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return s
}

// mean is the average of v: [n].
func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(max(1, len(v)))
}
