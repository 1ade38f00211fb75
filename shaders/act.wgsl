// Activations SiLU and GELU (tanh approximation) and SwiGLU, forward and backward. One
// invocation per output element; the flat index spans a 2-D grid (see Groups1D).
//
// Both activations go through one overflow-free sigmoid: GELU's ½(1 + tanh u) equals
// sigmoid(2u), so no tanh of a large argument (NaN in naive implementations) is needed and
// 1 + tanh u never cancels for negative x.

const WG: u32 = 256u;
const GELU_K: f32 = 0.7978845608028654; // sqrt(2/π)
const GELU_C: f32 = 0.044715;
const ACT_GELU: u32 = 1u; // tensor.GELU; 0 is tensor.SiLU

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

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

struct Act { n: u32, f: u32 }
@group(0) @binding(0) var<uniform> act_u: Act;

@group(0) @binding(1) var<storage, read_write> fw_out: array<f32>;
@group(0) @binding(2) var<storage, read> fw_in: array<f32>;

@compute @workgroup_size(WG)
fn act_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i < act_u.n) { fw_out[i] = act_value(fw_in[i], act_u.f); }
}

@group(0) @binding(1) var<storage, read_write> bw_din: array<f32>;
@group(0) @binding(2) var<storage, read> bw_dout: array<f32>;
@group(0) @binding(3) var<storage, read> bw_in: array<f32>;

@compute @workgroup_size(WG)
fn act_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i < act_u.n) { bw_din[i] = act_slope(bw_in[i], act_u.f) * bw_dout[i]; }
}

// SwiGLU: in = [a ‖ b] per row of 2F, out = silu(a)·b per row of F.
struct Glu { rows: u32, f: u32 }
@group(0) @binding(0) var<uniform> glu_u: Glu;

@group(0) @binding(1) var<storage, read_write> glu_out: array<f32>;
@group(0) @binding(2) var<storage, read> glu_in: array<f32>;

@compute @workgroup_size(WG)
fn act_swiglu_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i >= glu_u.rows * glu_u.f) { return; }
  let a = i + (i / glu_u.f) * glu_u.f; // in[r, j] for i = r·F + j
  glu_out[i] = act_value(glu_in[a], 0u) * glu_in[a + glu_u.f];
}

@group(0) @binding(1) var<storage, read_write> glu_din: array<f32>;
@group(0) @binding(2) var<storage, read> glu_dout: array<f32>;
@group(0) @binding(3) var<storage, read> glu_bin: array<f32>;

// act_swiglu_backward writes da = silu'(a)·b·dOut and db = silu(a)·dOut.
@compute @workgroup_size(WG)
fn act_swiglu_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i >= glu_u.rows * glu_u.f) { return; }
  let a = i + (i / glu_u.f) * glu_u.f;
  let x = glu_bin[a];
  let g = glu_dout[i];
  glu_din[a] = act_slope(x, 0u) * glu_bin[a + glu_u.f] * g;
  glu_din[a + glu_u.f] = act_value(x, 0u) * g;
}
