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

// sigmoidsScalar is sigmoids one element at a time. s, x: [n].
func sigmoidsScalar(s, x []float32) {
	for j, v := range x {
		s[j] = stableSigmoid(v)
	}
}
