package train

import (
	"fmt"
	"math"
)

// Options are the training hyperparameters; they are saved in checkpoints.
type Options struct {
	Steps    int     `json:"steps"`     // total optimiser steps
	Batch    int     `json:"batch"`     // images per step
	AEWarmup int     `json:"ae_warmup"` // phase 1 steps (autoencoder only); the refiner trains after
	LR       float64 `json:"lr"`        // peak learning rate
	MinLR    float64 `json:"min_lr"`    // end of the cosine decay
	Warmup   int     `json:"warmup"`    // linear warmup steps
	Beta1    float64 `json:"beta1"`
	Beta2    float64 `json:"beta2"`
	Eps      float64 `json:"eps"`
	WD       float64 `json:"wd"`        // decoupled weight decay
	ClipNorm float64 `json:"clip_norm"` // global gradient-norm clip
	EMADecay float64 `json:"ema_decay"` // EMA of the weights used for sampling
	Seed     uint64  `json:"seed"`      // data order, noise and initial weights

	// Optimizer is "adamw" (every parameter; "" in checkpoints of earlier versions) or
	// "muon": Muon for the hidden layers' weight matrices (MuonParam), AdamW for the rest.
	Optimizer string  `json:"optimizer,omitempty"`
	MuonLR    float64 `json:"muon_lr,omitempty"`       // Muon's learning rate as a multiple of the schedule's
	MuonMu    float64 `json:"muon_momentum,omitempty"` // Muon's Nesterov momentum
	MuonWD    float64 `json:"muon_wd,omitempty"`       // Muon's decoupled weight decay
}

// The optimisers.
const (
	AdamW = "adamw"
	Muon  = "muon"
)

// DefaultOptions are the DESIGN.md §4.4 settings for a run of steps steps.
func DefaultOptions(steps int) Options {
	return Options{
		Steps: steps, Batch: 32, AEWarmup: steps / 5, LR: 5e-4, MinLR: 1e-5, Warmup: min(500, steps/20),
		Beta1: 0.9, Beta2: 0.95, Eps: 1e-8, ClipNorm: 1, EMADecay: 0.999, Seed: 1,
		Optimizer: AdamW, MuonLR: 10, MuonMu: 0.95, MuonWD: 0.1,
	}
}

// Validate says what is wrong with o, if anything.
func (o Options) Validate() error {
	switch {
	case o.Steps <= 0 || o.Batch <= 0:
		return fmt.Errorf("train: steps %d and batch %d must be positive", o.Steps, o.Batch)
	case o.LR <= 0 || o.MinLR < 0 || o.MinLR > o.LR:
		return fmt.Errorf("train: learning rates %g (peak) and %g (min) are not 0 ≤ min ≤ peak, peak > 0", o.LR, o.MinLR)
	case o.Warmup < 0 || o.AEWarmup < 0:
		return fmt.Errorf("train: negative warmup")
	case o.ClipNorm <= 0 || o.EMADecay < 0 || o.EMADecay >= 1:
		return fmt.Errorf("train: clip norm %g must be positive and EMA decay %g in [0, 1)", o.ClipNorm, o.EMADecay)
	case o.Optimizer != "" && o.Optimizer != AdamW && o.Optimizer != Muon:
		return fmt.Errorf("train: optimizer %q (want %s or %s)", o.Optimizer, AdamW, Muon)
	case o.Optimizer == Muon && (o.MuonLR <= 0 || o.MuonMu < 0 || o.MuonMu >= 1 || o.MuonWD < 0):
		return fmt.Errorf("train: Muon learning-rate factor %g must be positive, momentum %g in [0, 1) and weight decay %g non-negative", o.MuonLR, o.MuonMu, o.MuonWD)
	}
	return nil
}

// LRAt is the learning rate of step (counting from 0): linear warmup, then cosine decay
// from LR to MinLR at the last step.
func (o Options) LRAt(step int) float64 {
	if step < o.Warmup {
		return o.LR * float64(step+1) / float64(o.Warmup)
	}
	span := o.Steps - o.Warmup
	if span <= 1 {
		return o.LR
	}
	progress := math.Min(1, float64(step-o.Warmup)/float64(span-1))
	return o.MinLR + 0.5*(o.LR-o.MinLR)*(1+math.Cos(math.Pi*progress))
}

// EMAAt is the EMA decay at step: ramped up from 0 early on so the average does not keep
// the random initialisation (as in timm's ModelEmaV2 warmup).
func (o Options) EMAAt(step int) float64 {
	return math.Min(o.EMADecay, float64(1+step)/float64(10+step))
}
