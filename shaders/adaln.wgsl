// adaLN's gated residual (out = x + gate·y) and its backward; gate is a chunk of mod:
// [batch, m] at a column offset. (The shift and scale after a norm are in rmsnorm.wgsl.)
//
// The forward runs one invocation per element over a 2-D grid (see Groups1D). The backward
// gives a workgroup one batch item (wid.y) and a strip of u.strip adjacent columns
// (wid.x); the other WG / strip invocations per column are token lanes. Each writes its
// elements of the input gradient, and the per-column sums over tokens are reduced in
// workgroup memory.

const WG: u32 = 256u;

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

struct Fwd { n: u32, tc: u32, c: u32, m: u32, gate_off: u32 }
@group(0) @binding(0) var<uniform> fw: Fwd;

// mod_index is the index in mod of chunk off's entry for flat element i of [batch, tokens, c].
fn mod_index(i: u32, off: u32) -> u32 {
  return (i / fw.tc) * fw.m + off + i % fw.c;
}

@group(0) @binding(1) var<storage, read_write> gt_out: array<f32>;
@group(0) @binding(2) var<storage, read> gt_x: array<f32>;
@group(0) @binding(3) var<storage, read> gt_y: array<f32>;
@group(0) @binding(4) var<storage, read> gt_mod: array<f32>;

@compute @workgroup_size(WG)
fn adaln_gateresidual_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i >= fw.n) { return; }
  gt_out[i] = gt_x[i] + gt_mod[mod_index(i, fw.gate_off)] * gt_y[i];
}

// Bwd: dy = dX·gate and dMod[gate] = Σ_t dX·y.
struct Bwd { tokens: u32, c: u32, m: u32, strip: u32, gate_off: u32 }
@group(0) @binding(0) var<uniform> bw: Bwd;
@group(0) @binding(1) var<storage, read_write> bw_dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> bw_dmod: array<f32>;
@group(0) @binding(3) var<storage, read> bw_dx: array<f32>;
@group(0) @binding(4) var<storage, read> bw_y: array<f32>;
@group(0) @binding(5) var<storage, read> bw_mod: array<f32>;

// sums holds Σ dX·y per invocation for the tree reduction.
var<workgroup> sums: array<f32, WG>;

@compute @workgroup_size(WG)
fn adaln_backward(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let lanes = WG / bw.strip;
  let lane = lid / bw.strip;
  let col = wid.x * bw.strip + lid % bw.strip;
  let b = wid.y;
  var acc: f32 = 0.0;
  if (col < bw.c) {
    let gate = bw_mod[b * bw.m + bw.gate_off + col];
    for (var t: u32 = lane; t < bw.tokens; t = t + lanes) {
      let i = (b * bw.tokens + t) * bw.c + col;
      let g = bw_dx[i];
      bw_dy[i] = g * gate;
      acc = acc + g * bw_y[i];
    }
  }
  sums[lid] = acc;
  workgroupBarrier();
  for (var s: u32 = lanes / 2u; s > 0u; s = s / 2u) {
    if (lane < s) { sums[lid] = sums[lid] + sums[lid + s * bw.strip]; }
    workgroupBarrier();
  }
  if (lane != 0u || col >= bw.c) { return; }
  bw_dmod[b * bw.m + bw.gate_off + col] = sums[lid];
}
