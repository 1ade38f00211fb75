// Activation functions shared by the act and matmul families (the runtime puts this file
// before theirs; it has no entry points or bindings). f is a tensor.Activation: ACT_SILU
// or ACT_GELU (tensor.Identity, 0, is never passed here).
//
// Both activations go through one overflow-free sigmoid: GELU's ½(1 + tanh u) equals
// sigmoid(2u), so no tanh of a large argument (NaN in naive implementations) is needed and
// 1 + tanh u never cancels for negative x.

const GELU_K: f32 = 0.7978845608028654; // sqrt(2/π)
const GELU_C: f32 = 0.044715;
const ACT_SILU: u32 = 1u; // tensor.SiLU
const ACT_GELU: u32 = 2u; // tensor.GELU

// sigmoid is 1/(1+e^−x) computed from e^−|x| ≤ 1, so saturated inputs give exactly 0 or 1.
fn sigmoid(x: f32) -> f32 {
  let e = exp(-abs(x));
  if (x >= 0.0) { return 1.0 / (1.0 + e); }
  return e / (1.0 + e);
}

// gelu_arg is 2u = 2·K·(x + C·x³), the argument of GELU's sigmoid.
fn gelu_arg(x: f32) -> f32 {
  return 2.0 * GELU_K * (x + GELU_C * x * x * x);
}

fn act_value(x: f32, f: u32) -> f32 {
  if (f == ACT_GELU) { return x * sigmoid(gelu_arg(x)); }
  return x * sigmoid(x);
}

fn act_slope(x: f32, f: u32) -> f32 {
  if (f == ACT_GELU) {
    let s = sigmoid(gelu_arg(x));
    return s * (1.0 + x * (1.0 - s) * 2.0 * GELU_K * (1.0 + 3.0 * GELU_C * x * x));
  }
  let s = sigmoid(x);
  return s * (1.0 + x * (1.0 - s));
}
