// Package prior is the generator's distribution of sphere points: a Gaussian mixture fitted
// to the sphere encodings of the training images, sampled and then spherified.
//
// The Sphere Encoder samples uniform points v = spherify(N(0, I)) and relies on the encoder
// to have spread the data over the whole sphere. A small model trained for hours on two CPU
// cores does not get there: random points lie 70° or more from the nearest encoding of a
// real image, where the decoder has not been trained, and the encode→decode loops that pull
// them back fall into a few large basins (many 8s, few 7s). Fitting a density to the
// encodings after training ("ex-post density estimation", Ghosh et al. 2020, "From
// Variational to Deterministic Autoencoders") puts the samples where the decoder and the
// refiner were trained, in the proportions of the data. A mixture with full covariances
// keeps the correlations between latent entries that a single diagonal Gaussian loses.
//
// The components live in the span of the encodings' leading principal directions (64 by
// default), with isotropic noise of the leftover variance across the other directions: a
// latent of hundreds of values would otherwise cost a quarter of a million covariance
// entries per component. The fit is expectation–maximisation in float64 from a k-means++
// start, with every covariance shrunk towards its mean variance (so few points per component
// cannot make it singular). It runs on the host: a few thousand points of a few hundred
// dimensions take seconds, and the browser refits it after fine-tuning on the user's images.
//
// It imports model/parallel and model/quality (for the eigendecomposition).
package prior
