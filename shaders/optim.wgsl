// Optimiser kernels: the global gradient norm for clipping (two passes) and the AdamW step
// (one invocation per element, the flat index spread over a 2-D grid, see Groups1D).

const WG: u32 = 256u;

// GRADCLIP_EPS mirrors gradClipEps in model/cpu/optim_kernels.go: scale = maxNorm/(norm + eps).
const GRADCLIP_EPS: f32 = 1e-6;

var<workgroup> partial: array<f32, WG>;

// block_sum returns the workgroup-wide sum of v to every invocation. Call it once per kernel
// from uniform control flow.
fn block_sum(lid: u32, v: f32) -> f32 {
  partial[lid] = v;
  workgroupBarrier();
  for (var s: u32 = WG / 2u; s > 0u; s = s >> 1u) {
    if (lid < s) {
      partial[lid] = partial[lid] + partial[lid + s];
    }
    workgroupBarrier();
  }
  return partial[0];
}

// groups is the number of workgroups of the first pass, and so of partial sums.
struct GradClip { n: u32, groups: u32, max_norm: f32 }
@group(0) @binding(0) var<uniform> gc: GradClip;
@group(0) @binding(1) var<storage, read_write> gc_partial: array<f32>;
@group(0) @binding(2) var<storage, read> gc_g: array<f32>;

// optim_gradclip_sumsq: workgroup w writes partial[w], the sum of g² over a grid-stride
// loop of its invocations (f32 per invocation, then a tree).
@compute @workgroup_size(WG)
fn optim_gradclip_sumsq(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  var acc: f32 = 0.0;
  for (var i: u32 = wid.x * WG + lid; i < gc.n; i = i + gc.groups * WG) {
    let x = gc_g[i];
    acc = acc + x * x;
  }
  let total = block_sum(lid, acc);
  if (lid == 0u) { gc_partial[wid.x] = total; }
}

@group(0) @binding(1) var<storage, read_write> gc_scale: array<f32>;
@group(0) @binding(2) var<storage, read> gc_sums: array<f32>;

// optim_gradclip_scale: one workgroup sums the partials and writes scale[0] = min(1,
// max_norm/(norm + eps)) and scale[1] = 1, or {0, 0} when the sum of squares is not finite
// (tested on its bits: compilers may fold x != x away).
@compute @workgroup_size(WG)
fn optim_gradclip_scale(@builtin(local_invocation_index) lid: u32) {
  var acc: f32 = 0.0;
  for (var i: u32 = lid; i < gc.groups; i = i + WG) {
    acc = acc + gc_sums[i];
  }
  let sumsq = block_sum(lid, acc);
  if (lid == 0u) {
    let finite = (bitcast<u32>(sumsq) & 0x7f800000u) != 0x7f800000u;
    let scale = min(1.0, gc.max_norm / (sqrt(sumsq) + GRADCLIP_EPS));
    gc_scale[0] = select(0.0, scale, finite);
    gc_scale[1] = select(0.0, 1.0, finite);
  }
}

// inv_bc1, inv_bc2 are 1/(1 − beta1^step), 1/(1 − beta2^step), computed in float64 on the host.
struct AdamW { n: u32, has_scale: u32, lr: f32, beta1: f32, beta2: f32, eps: f32, wd: f32, inv_bc1: f32, inv_bc2: f32 }
@group(0) @binding(0) var<uniform> aw: AdamW;
@group(0) @binding(1) var<storage, read_write> aw_p: array<f32>;
@group(0) @binding(2) var<storage, read> aw_g: array<f32>;
@group(0) @binding(3) var<storage, read_write> aw_m: array<f32>;
@group(0) @binding(4) var<storage, read_write> aw_v: array<f32>;
@group(0) @binding(5) var<storage, read> aw_scale: array<f32>;

// optim_adamw: with ĝ = scale[0]·g, m ← β1·m + (1−β1)·ĝ, v ← β2·v + (1−β2)·ĝ²,
// p ← p − lr·(m̂/(sqrt(v̂) + eps) + wd·p); nothing changes when scale[1] is 0. The order of
// operations matches adamW in model/cpu/optim_kernels.go.
@compute @workgroup_size(WG)
fn optim_adamw(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= aw.n) { return; }
  var g = aw_g[i];
  if (aw.has_scale != 0u) {
    if (aw_scale[1] == 0.0) { return; }
    g = g * aw_scale[0];
  }
  let m = aw.beta1 * aw_m[i] + (1.0 - aw.beta1) * g;
  let v = aw.beta2 * aw_v[i] + (1.0 - aw.beta2) * g * g;
  aw_m[i] = m;
  aw_v[i] = v;
  let mh = m * aw.inv_bc1;
  let vh = v * aw.inv_bc2;
  let p = aw_p[i];
  aw_p[i] = p - aw.lr * (mh / (sqrt(vh) + aw.eps) + aw.wd * p);
}
