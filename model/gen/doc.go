// Package gen is the whole generator: the spherical autoencoder and the refiner sharing one
// parameter arena, their weight files, and generation (AE decode of sphere points, then
// refinement). The trainer, the native tools and the browser app all go through it.
//
// It imports model/tensor, model/nn, model/config, model/sphere, model/refiner, model/prior
// and weights.
package gen
