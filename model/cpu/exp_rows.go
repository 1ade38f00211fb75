package cpu

// expAffineScalar is expAffine one element at a time. row: [n].
func expAffineScalar(row []float32, scale, shift float32) float32 {
	sum := float32(0)
	for j, v := range row {
		e := exp32(v*scale - shift)
		row[j] = e
		sum += e
	}
	return sum
}

// sigmoidsScalar is sigmoids one element at a time, at T's precision. s, x: [n].
func sigmoidsScalar[T Float](s, x []T) {
	for j, v := range x {
		s[j] = stableSigmoid(v)
	}
}
