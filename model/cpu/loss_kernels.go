package cpu

import "math"

// cosineEps is the smallest norm Cosine divides by: a row of norm below it counts as having
// norm cosineEps (the clamp of PyTorch's cosine_similarity), so a zero row has loss 1 and a
// finite gradient. shaders/loss.wgsl holds the same value as COSINE_EPS.
const cosineEps = 1e-8

// lossRows runs body for every row, in parallel over rows of cols elements.
func lossRows(rows, cols int, body func(r int)) {
	parallel(rows, max(1, 4096/max(cols, 1)), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			body(r)
		}
	})
}

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

// smoothL1 computes loss[r] = Σ_c huber(pred − target) and dPred = gradScale·huber'(pred −
// target). loss: [rows]; dPred, pred, target: [rows, cols].
func smoothL1[T Float](loss, dPred, pred, target []T, rows, cols int, beta, gradScale T) {
	lossRows(rows, cols, func(r int) {
		sum := 0.0
		for i := r * cols; i < (r+1)*cols; i++ {
			l, g := huber(pred[i]-target[i], beta)
			sum += float64(l)
			dPred[i] = gradScale * g
		}
		loss[r] = T(sum)
	})
}

// mse computes loss[r] = weight[r]·Σ_c (pred − target)² and dPred = gradScale·2·weight[r]·
// (pred − target). loss: [rows]; weight: [rows] or nil (all ones); dPred, pred, target:
// [rows, cols].
func mse[T Float](loss, dPred, pred, target, weight []T, rows, cols int, gradScale T) {
	lossRows(rows, cols, func(r int) {
		w := T(1)
		if weight != nil {
			w = weight[r]
		}
		k := gradScale * 2 * w
		sum := 0.0
		for i := r * cols; i < (r+1)*cols; i++ {
			d := pred[i] - target[i]
			sum += float64(d) * float64(d)
			dPred[i] = k * d
		}
		loss[r] = T(float64(w) * sum)
	})
}

// cosine computes loss[r] = 1 − cos(a[r,:], b[r,:]) with norms clamped below at cosineEps,
// dA = gradScale·∂loss/∂a and, when dB is not nil, dB = gradScale·∂loss/∂b. loss: [rows];
// dA, dB, a, b: [rows, cols].
func cosine[T Float](loss, dA, dB, a, b []T, rows, cols int, gradScale T) {
	lossRows(rows, cols, func(r int) {
		ar, br := a[r*cols:(r+1)*cols], b[r*cols:(r+1)*cols]
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
		loss[r] = T(1 - cos)
		// ∂cos/∂a = b/(|a||b|) − cos·a/|a|², the second term absent where the norm is clamped.
		g := float64(gradScale)
		cross := g / (na * nb)
		ka *= g * cos
		kb *= g * cos
		for c := range ar {
			x, y := float64(ar[c]), float64(br[c])
			dA[r*cols+c] = T(ka*x - cross*y)
			if dB != nil {
				dB[r*cols+c] = T(kb*y - cross*x)
			}
		}
	})
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
