// Package tensor defines the Tensor handle and the op-level Backend interface that every
// compute backend (the pure-Go CPU reference and WebGPU) implements.
//
// It owns no storage. It imports nothing of ours: models are written against Backend,
// backends are chosen at run time. Argument order follows llm.c: outputs first, then
// inputs, then dimensions and scalars.
//
// Gradient convention: backward ops overwrite the gradients of activations (dIn, dX, …)
// and add into the gradients of parameters (dW, dBias, dGain, …), which the trainer zeroes
// once per step. MatMul and SumRows say explicitly whether they accumulate.
package tensor
