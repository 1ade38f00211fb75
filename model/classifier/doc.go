// Package classifier is the small image classifier whose hidden features the evaluation
// measures Fréchet distances in: the project trains it itself, with its own layers and ops,
// because no pretrained network (Inception and the like) can be shipped.
//
// The network is an MLP over patches: patchify → linear PatchDim→Embed + GELU per patch →
// the patch vectors of an image concatenated in grid order → linear Tokens·Embed→Hidden +
// GELU (the features) → linear Hidden→Classes (the logits). Concatenating instead of mean
// pooling keeps where each patch sits, which a bag of patches loses (a 6 and a 9 have the
// same patches). It trains with softmax cross-entropy, computed on the host from the
// downloaded logits (the Backend has no such op, and the logits are a few numbers per image),
// and the Backend's AdamW, with random shifts of a few pixels as augmentation.
//
// A trained classifier is stored as a weight file (weights package) with its config, its
// dataset and its class names in the metadata.
//
// It imports model/tensor, model/nn, model/data and weights.
package classifier
