// Loss kernels: SmoothL1 (Huber), MSE and cosine distance. Each writes a row's loss and its
// gradient in one pass (llm.c style): one workgroup per row, rows spread over a 2-D grid of
// workgroups (Groups1D with one invocation per group); each invocation strides over the
// columns, accumulating in f32, and a tree reduction in workgroup memory sums the row.

const WG: u32 = 256u;

// COSINE_EPS mirrors cosineEps in model/cpu/loss_kernels.go: norms below it are clamped to
// it, so a zero row has loss 1 and a finite gradient.
const COSINE_EPS: f32 = 1e-8;

var<workgroup> partial: array<vec3<f32>, WG>;

// row_index is the row of this workgroup (may be past the last row on a 2-D grid).
fn row_index(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x;
}

// row_sum returns the workgroup-wide sum of v to every invocation. Call it once per kernel
// from uniform control flow.
fn row_sum(lid: u32, v: vec3<f32>) -> vec3<f32> {
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

struct SmoothL1 { rows: u32, cols: u32, beta: f32, grad_scale: f32 }
@group(0) @binding(0) var<uniform> sl1: SmoothL1;
@group(0) @binding(1) var<storage, read_write> sl1_loss: array<f32>;
@group(0) @binding(2) var<storage, read_write> sl1_dpred: array<f32>;
@group(0) @binding(3) var<storage, read> sl1_pred: array<f32>;
@group(0) @binding(4) var<storage, read> sl1_target: array<f32>;

// loss_smoothl1_forward: loss[r] = Σ_c huber(d), dpred = grad_scale·huber'(d), d = pred − target;
// huber(d) = 0.5·d²/beta inside |d| < beta, |d| − 0.5·beta outside.
@compute @workgroup_size(WG)
fn loss_smoothl1_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                    @builtin(local_invocation_index) lid: u32) {
  let row = row_index(wid, nwg);
  if (row >= sl1.rows) { return; }
  let base = row * sl1.cols;
  var acc: f32 = 0.0;
  for (var c: u32 = lid; c < sl1.cols; c = c + WG) {
    let d = sl1_pred[base + c] - sl1_target[base + c];
    let ad = abs(d);
    var g: f32 = sign(d);
    if (ad < sl1.beta) {
      acc = acc + 0.5 * d * d / sl1.beta;
      g = d / sl1.beta;
    } else {
      acc = acc + (ad - 0.5 * sl1.beta);
    }
    sl1_dpred[base + c] = sl1.grad_scale * g;
  }
  let total = row_sum(lid, vec3<f32>(acc, 0.0, 0.0));
  if (lid == 0u) { sl1_loss[row] = total.x; }
}

struct Mse { rows: u32, cols: u32, has_weight: u32, grad_scale: f32 }
@group(0) @binding(0) var<uniform> mse: Mse;
@group(0) @binding(1) var<storage, read_write> mse_loss: array<f32>;
@group(0) @binding(2) var<storage, read_write> mse_dpred: array<f32>;
@group(0) @binding(3) var<storage, read> mse_pred: array<f32>;
@group(0) @binding(4) var<storage, read> mse_target: array<f32>;
@group(0) @binding(5) var<storage, read> mse_weight: array<f32>;

// loss_mse_forward: loss[r] = w[r]·Σ_c d², dpred = grad_scale·2·w[r]·d (w = 1 without weights).
@compute @workgroup_size(WG)
fn loss_mse_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
  let row = row_index(wid, nwg);
  if (row >= mse.rows) { return; }
  var w: f32 = 1.0;
  if (mse.has_weight != 0u) { w = mse_weight[row]; }
  let k = mse.grad_scale * 2.0 * w;
  let base = row * mse.cols;
  var acc: f32 = 0.0;
  for (var c: u32 = lid; c < mse.cols; c = c + WG) {
    let d = mse_pred[base + c] - mse_target[base + c];
    acc = acc + d * d;
    mse_dpred[base + c] = k * d;
  }
  let total = row_sum(lid, vec3<f32>(acc, 0.0, 0.0));
  if (lid == 0u) { mse_loss[row] = w * total.x; }
}

struct Cosine { rows: u32, cols: u32, has_db: u32, grad_scale: f32 }
@group(0) @binding(0) var<uniform> cs: Cosine;
@group(0) @binding(1) var<storage, read_write> cs_loss: array<f32>;
@group(0) @binding(2) var<storage, read_write> cs_da: array<f32>;
@group(0) @binding(3) var<storage, read_write> cs_db: array<f32>;
@group(0) @binding(4) var<storage, read> cs_a: array<f32>;
@group(0) @binding(5) var<storage, read> cs_b: array<f32>;

// loss_cosine_forward: loss[r] = 1 − a·b/(|a||b|), da = grad_scale·(cos·a/|a|² − b/(|a||b|)) and
// db likewise when has_db; the cos·a/|a|² term is absent where the norm is clamped.
// A second sweep over the row writes the gradients once the three sums are known.
@compute @workgroup_size(WG)
fn loss_cosine_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_index) lid: u32) {
  let row = row_index(wid, nwg);
  if (row >= cs.rows) { return; }
  let base = row * cs.cols;
  var acc = vec3<f32>(0.0, 0.0, 0.0);
  for (var c: u32 = lid; c < cs.cols; c = c + WG) {
    let x = cs_a[base + c];
    let y = cs_b[base + c];
    acc = acc + vec3<f32>(x * y, x * x, y * y);
  }
  let s = row_sum(lid, acc);
  let na_raw = sqrt(s.y);
  let nb_raw = sqrt(s.z);
  let na = max(na_raw, COSINE_EPS);
  let nb = max(nb_raw, COSINE_EPS);
  let cosv = s.x / (na * nb);
  let inv_ab = cs.grad_scale / (na * nb);
  let ka = select(0.0, cs.grad_scale * cosv / s.y, na_raw >= COSINE_EPS);
  let kb = select(0.0, cs.grad_scale * cosv / s.z, nb_raw >= COSINE_EPS);
  for (var c: u32 = lid; c < cs.cols; c = c + WG) {
    let x = cs_a[base + c];
    let y = cs_b[base + c];
    cs_da[base + c] = ka * x - inv_ab * y;
    if (cs.has_db != 0u) { cs_db[base + c] = kb * y - inv_ab * x; }
  }
  if (lid == 0u) { cs_loss[row] = 1.0 - cosv; }
}
