package fast

// The row steps of the fast attention's softmax and its backward, in float32. This file
// holds their scalar forms: the whole row without the simd experiment, and the tails and
// other CPUs with it (softmax_simd.go).

// expAffineScalar is expAffine one element at a time. row: [n].
func expAffineScalar(row []float32, scale, shift float32) float32 {
	sum := float32(0)
	for j, v := range row {
		e := Exp32(v*scale - shift)
		row[j] = e
		sum += e
	}
	return sum
}

// maxOfScalar is the largest of m and the elements of row, NaN if any is NaN. row: [n].
func maxOfScalar(row []float32, m float32) float32 {
	for _, v := range row {
		m = max(m, v)
	}
	return m
}

// scaleRowScalar multiplies row by s in float32. row: [n].
func scaleRowScalar(row []float32, s float32) {
	for i := range row {
		row[i] *= s
	}
}
