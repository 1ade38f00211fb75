// Package refiner is the JiT-style flow refiner of DESIGN.md §4.3: a small DiT that turns the
// autoencoder's rough decode into a sharp image in a few ODE steps. It owns the refiner's
// parameters and layers (segment embeddings, time MLP, adaLN-Zero blocks, final layer), its
// forward and backward pass, the flow-matching training step with the seed's "decode plus
// noise" coupling, the time distributions and the Heun/Euler sampler.
//
// Inputs are plain tensors — the latent v, the autoencoder decoder's hidden tokens and its
// decoded image — so the package does not depend on the autoencoder.
//
// Where it differs from the seed (DESIGN.md §4.6): RMSNorm, SwiGLU and 2-D RoPE
// shared across the three segments (nn.Block) instead of LayerNorm, a SiLU MLP and one 1-D
// RoPE index over the whole sequence; every segment gets a learned segment embedding instead
// of a learned absolute position on the image tokens only; time enters through a sinusoidal
// embedding of the continuous t (as DiT and JiT) instead of 100 learned bins; the output is
// a zero-initialised linear map without the seed's LayerNorm and 3×3 smoothing conv, as in
// JiT's final layer.
//
// It imports model/tensor, model/nn and model/config only.
package refiner
