// Package quality holds the image-quality measures of the evaluation, as plain float64 maths
// on the host: PSNR and SSIM between two images, and the Fréchet distance between two sets
// of feature vectors, with the symmetric eigendecomposition (cyclic Jacobi) that its matrix
// square root needs.
//
// Images are planar [channels, size, size] float32 in [-1, 1], the layout of model/data;
// PSNR and SSIM measure them on the [0, 1] scale. Precision and recall (k-nearest-neighbour
// manifolds) compare two feature sets by coverage. It imports model/parallel only.
package quality
