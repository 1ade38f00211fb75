package fast

// AdamWCoeffs are one AdamW step's scalars in float64: the gradient scale, the betas, the
// learning rate, eps, the weight decay and the two bias corrections 1/(1 − β^step).
type AdamWCoeffs struct{ GS, B1, B2, LR, Eps, WD, BC1, BC2 float64 }
