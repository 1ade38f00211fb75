// Package train trains a gen.Model on a data.Set: phase 1 the autoencoder alone, phase 2
// autoencoder and refiner jointly; AdamW (β 0.9/0.95) with warmup and cosine decay, global
// gradient-norm clipping, an EMA of the weights for sampling, and checkpoints that resume
// exactly. A step is recorded on the backend as one batch of ops; losses stay on the device
// and are read back only when a report is asked for.
//
// Non-finite gradients never reach the weights: GradClip flags them on the device and AdamW
// then leaves parameters and moments untouched. Reports count such skipped steps, and the
// trainer halves its learning rate after each report that saw one.
//
// It imports model/tensor, model/nn, model/config, model/gen, model/sphere, model/refiner,
// model/prior, model/data and weights.
package train
