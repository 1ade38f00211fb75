// Activations SiLU and GELU (tanh approximation) and SwiGLU, forward and backward. One
// invocation per output element; the flat index spans a 2-D grid (see Groups1D). The
// activation functions themselves are in actfn.wgsl, which the runtime puts before this file.

const WG: u32 = 256u;

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
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
  glu_out[i] = act_value(glu_in[a], ACT_SILU) * glu_in[a + glu_u.f];
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
  glu_din[a] = act_slope(x, ACT_SILU) * glu_bin[a + glu_u.f] * g;
  glu_din[a + glu_u.f] = act_value(x, ACT_SILU) * g;
}
