package data

// heldOutEvery is the stride of every held-out split: one image in 20 (5 %).
const heldOutEvery = 20

// splitHeldOut splits images, given in their canonical sorted order, into train and test:
// positions 19, 39, 59, … go to test. The split depends only on that order, so it is the same
// on every machine and every run, and fewer than 20 images hold none out.
func splitHeldOut(ims []Image) (train, test []Image) {
	for i, im := range ims {
		if i%heldOutEvery == heldOutEvery-1 {
			test = append(test, im)
		} else {
			train = append(train, im)
		}
	}
	return train, test
}
