// Package pool is the CPU backend's persistent worker pool: parallel loops over items whose
// dispatch allocates nothing once each loop body has run once, per-thread scratch, and a
// shared buffer for ops that need one across several loops. The reference kernels of
// model/cpu and the fast paths of model/cpu/fast both run on it.
//
// It imports nothing of ours.
package pool
