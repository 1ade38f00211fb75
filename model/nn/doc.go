// Package nn holds the layers the models are built from — parameter sets, linear layers, the
// shared transformer block, the MLP-Mixer and the fixed 2-D sin-cos position table — as
// explicit forward/backward pairs over tensor.Backend, in the style of llm.c: each forward
// call keeps its activations in an Acts value that the matching backward reads, so the same
// layer can run several times per step (the autoencoder decodes twice) without a general
// autograd tape.
//
// It imports model/tensor only.
package nn
