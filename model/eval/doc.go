// Package eval is the project's quality report for a generator: how well the autoencoder
// reconstructs held-out images (PSNR, SSIM), and, for each refinement step count, how close
// generated images come to the data in the feature space of the project's own classifier
// (Fréchet distance, share of confidently labelled samples) and how close they sit to their
// nearest training image (to tell copying from generalising). Real held-out images go
// through the same measures as the baseline that a perfect generator would match.
//
// The Fréchet distance compares against the training split: the generator learns that
// distribution, and the held-out split can be small (189 emoji32 images, barely more than
// the classifier's 128 features, so their covariance is a poor estimate). The classifier has seen the training split too, so even real
// unseen images score above 0; the held-out row shows that floor.
//
// It imports model/tensor, model/data, model/gen, model/refiner, model/classifier and
// model/quality.
package eval
