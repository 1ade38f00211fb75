package cpu

// fill sets every element of out to value.
func fill[T Float](out []T, value T) {
	parallel(len(out), 1<<14, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = value
		}
	})
}

// axpby computes y ← alpha·x + beta·y. x, y: [n].
func axpby[T Float](y, x []T, alpha, beta T) {
	parallel(len(y), 1<<14, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			y[i] = alpha*x[i] + beta*y[i]
		}
	})
}

// rowAxpby computes y[r,:] ← alpha[r]·x[r,:] + beta[r]·y[r,:]. y, x: [rows, cols];
// alpha, beta: [rows].
func rowAxpby[T Float](y, x, alpha, beta []T, rows, cols int) {
	parallel(rows, max(1, 4096/max(cols, 1)), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			a, b := alpha[r], beta[r]
			yr, xr := y[r*cols:(r+1)*cols], x[r*cols:(r+1)*cols]
			for c := range yr {
				yr[c] = a*xr[c] + b*yr[c]
			}
		}
	})
}

// copy2D copies (or adds) a rows×cols block between strided layouts.
func copy2D[T Float](dst, src []T, rows, cols, dstOff, dstStride, srcOff, srcStride int, accumulate bool) {
	parallel(rows, max(1, 4096/max(cols, 1)), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			d := dst[dstOff+r*dstStride : dstOff+r*dstStride+cols]
			s := src[srcOff+r*srcStride : srcOff+r*srcStride+cols]
			if accumulate {
				for c := range d {
					d[c] += s[c]
				}
			} else {
				copy(d, s)
			}
		}
	})
}

// addBroadcast adds x: [n] to every item of y: [batch, n].
func addBroadcast[T Float](y, x []T, batch, n int) {
	parallel(batch, 1, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			yb := y[b*n : (b+1)*n]
			for i := range yb {
				yb[i] += x[i]
			}
		}
	})
}
