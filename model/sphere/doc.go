// Package sphere is the spherical autoencoder of DESIGN.md §4.2: an encoder that maps a 32×32
// image to a point on the sphere of radius sqrt(L) in R^L (L = Tokens·Latent), a decoder
// that maps any sphere point back to an image (and to the hidden tokens the refiner reads),
// the training noise (angle-jittered copies of the sphere point) and the three losses —
// reconstruction, pixel consistency and latent consistency — as explicit forward/backward
// passes over tensor.Backend.
//
// It owns the autoencoder's parameters (declared in the caller's nn.ParamSet), the
// activations of one training step (Step) and of encode-only and decode-only calls
// (Encoded, Decoded). Optimisers, schedules and the joint training with the refiner belong
// to the trainer. It imports model/tensor, model/nn and model/config only.
//
// Where it differs from the seed (DESIGN.md §4.6):
//   - blocks are RMSNorm/SwiGLU/QK-norm/2-D RoPE (nn.Block), 64 tokens of patch 4;
//   - the patch embedding is one linear PatchDim→E with bias (the seed has a two-layer
//     bias-free "bottleneck"), plus the fixed 2-D sin-cos table once (the seed adds a 1-D
//     table twice);
//   - the mixer runs at width E with RMSNorm and configurable hidden widths, and its
//     zero-initialised second linears take the place of the official Sphere code's zero
//     residual scalars (see nn.Mixer);
//   - there is no BatchNorm before spherify, so the noise is added to the spherified v as in
//     the Sphere paper and official code (the seed adds it to the post-BN latent z);
//   - the decoder ends in a linear E→PatchDim with bias and unpatchify: neither the seed's
//     LayerNorm before it nor its 3×3 smoothing conv, and no output clamp in training (as in
//     the seed; samplers clamp);
//   - no perceptual loss (no pretrained network can be shipped).
//
// As in the seed (and unlike the official code), the latent-consistency target v is not
// detached: its gradient reaches the first encoder pass through v as well.
package sphere
