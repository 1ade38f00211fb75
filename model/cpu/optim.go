package cpu

import "flowsphere/model/tensor"

// GradClip writes scale = {min(1, maxNorm/(‖g‖ + 1e-6)), 1}, or {0, 0} when the norm is not
// finite (its square overflows float32, or g holds an Inf or NaN).
func (be *Backend[T]) GradClip(scale, g *tensor.Tensor, n int, maxNorm float32) {
	gradClip(data[T](scale)[:2], data[T](g)[:n], T(maxNorm))
}

// AdamW takes one AdamW step on p, m and v.
func (be *Backend[T]) AdamW(p, g, m, v, scale *tensor.Tensor, n int, lr, beta1, beta2, eps, wd float32, step int) {
	adamW(data[T](p)[:n], data[T](g)[:n], data[T](m)[:n], data[T](v)[:n], data[T](scale), T(lr), T(beta1), T(beta2), T(eps), T(wd), step)
}
