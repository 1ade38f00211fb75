package cpu

import (
	"math"

	"flowsphere/model/cpu/pool"
)

// cosineEps is the smallest norm Cosine divides by: a row of norm below it counts as having
// norm cosineEps (the clamp of PyTorch's cosine_similarity), so a zero row has loss 1 and a
// finite gradient. shaders/loss.wgsl holds the same value as COSINE_EPS.
const cosineEps = 1e-8

// huber is the SmoothL1 term of a difference d and its derivative: 0.5·d²/beta and d/beta
// inside |d| < beta, |d| − 0.5·beta and sign(d) outside.
func huber[T Float](d, beta T) (loss, grad T) {
	ad, sign := d, T(1)
	if d < 0 {
		ad, sign = -d, -1
	}
	if ad < beta {
		return 0.5 * d * d / beta, d / beta
	}
	if d == 0 {
		sign = 0 // only reached with beta = 0 (plain L1): the subgradient at the kink
	}
	return ad - 0.5*beta, sign
}

// lossGrain is the rows per chunk of a loss over rows of cols elements.
func lossGrain(cols int) int { return max(1, 4096/max(cols, 1)) }

// smoothL1 computes loss[r] = Σ_c huber(pred − target) and dPred = gradScale·huber'(pred −
// target). loss: [rows]; dPred, pred, target: [rows, cols].
func smoothL1[T Float](loss, dPred, pred, target []T, rows, cols int, beta, gradScale T) {
	pool.Run(rows, lossGrain(cols), smoothL1Task[T]{loss, dPred, pred, target, cols, beta, gradScale})
}

type smoothL1Task[T Float] struct {
	loss, dPred, pred, target []T
	cols                      int
	beta, gradScale           T
}

func (t *smoothL1Task[T]) Run(_ *pool.Worker, lo, hi int) {
	for r := lo; r < hi; r++ {
		sum := 0.0
		for i := r * t.cols; i < (r+1)*t.cols; i++ {
			l, g := huber(t.pred[i]-t.target[i], t.beta)
			sum += float64(l)
			t.dPred[i] = t.gradScale * g
		}
		t.loss[r] = T(sum)
	}
}

// mse computes loss[r] = weight[r]·Σ_c (pred − target)² and dPred = gradScale·2·weight[r]·
// (pred − target). loss: [rows]; weight: [rows] or nil (all ones); dPred, pred, target:
// [rows, cols].
func mse[T Float](loss, dPred, pred, target, weight []T, rows, cols int, gradScale T) {
	pool.Run(rows, lossGrain(cols), mseTask[T]{loss, dPred, pred, target, weight, cols, gradScale})
}

type mseTask[T Float] struct {
	loss, dPred, pred, target, weight []T
	cols                              int
	gradScale                         T
}

func (t *mseTask[T]) Run(_ *pool.Worker, lo, hi int) {
	for r := lo; r < hi; r++ {
		w := T(1)
		if t.weight != nil {
			w = t.weight[r]
		}
		k := t.gradScale * 2 * w
		sum := 0.0
		for i := r * t.cols; i < (r+1)*t.cols; i++ {
			d := t.pred[i] - t.target[i]
			sum += float64(d) * float64(d)
			t.dPred[i] = k * d
		}
		t.loss[r] = T(float64(w) * sum)
	}
}

// cosine computes loss[r] = 1 − cos(a[r,:], b[r,:]) with norms clamped below at cosineEps,
// dA = gradScale·∂loss/∂a and, when dB is not nil, dB = gradScale·∂loss/∂b. loss: [rows];
// dA, dB, a, b: [rows, cols].
func cosine[T Float](loss, dA, dB, a, b []T, rows, cols int, gradScale T) {
	pool.Run(rows, lossGrain(cols), cosineTask[T]{loss, dA, dB, a, b, cols, gradScale})
}

type cosineTask[T Float] struct {
	loss, dA, dB, a, b []T
	cols               int
	gradScale          T
}

func (t *cosineTask[T]) Run(_ *pool.Worker, lo, hi int) {
	cols := t.cols
	for r := lo; r < hi; r++ {
		ar, br := t.a[r*cols:(r+1)*cols], t.b[r*cols:(r+1)*cols]
		var ab, aa, bb float64
		for c := range ar {
			x, y := float64(ar[c]), float64(br[c])
			ab += x * y
			aa += x * x
			bb += y * y
		}
		na, ka := cosineNorm(aa)
		nb, kb := cosineNorm(bb)
		cos := ab / (na * nb)
		t.loss[r] = T(1 - cos)
		// ∂cos/∂a = b/(|a||b|) − cos·a/|a|², the second term absent where the norm is clamped.
		g := float64(t.gradScale)
		cross := g / (na * nb)
		ka *= g * cos
		kb *= g * cos
		for c := range ar {
			x, y := float64(ar[c]), float64(br[c])
			t.dA[r*cols+c] = T(ka*x - cross*y)
			if t.dB != nil {
				t.dB[r*cols+c] = T(kb*y - cross*x)
			}
		}
	}
}

// cosineNorm returns the clamped norm sqrt(sq) and 1/norm², or 0 in place of 1/norm² where
// the clamp holds the norm constant.
func cosineNorm(sq float64) (norm, invSq float64) {
	norm = math.Sqrt(sq)
	if norm < cosineEps {
		return cosineEps, 0
	}
	return norm, 1 / sq
}
