// RMSNorm (optional gain) forward and backward; Spherify is the same with no gain;
// NormModulate is RMSNorm without gain followed by adaLN's shift and scale of the row's
// batch item (has_mod), whose backward treats 1 + scale as a per-batch gain and sums the
// shift and scale gradients per batch item in the gain workgroups (one chunk per item).
//
// rmsnorm_forward and rmsnorm_backward give each row LANES = u.lanes threads (a power of two,
// the row length rounded up, at most WG), so one workgroup holds WG / LANES rows; every
// lane strides over its row's columns and the row sum is a tree reduction in workgroup
// memory. rmsnorm_backward's grid also holds the gain gradient's workgroups, after the row
// ones: the gain gradient does not depend on dIn, so one dispatch does both. Those sum
// columns: a workgroup covers a strip of u.strip columns × a chunk of rows, with WG / strip
// row lanes per column, and adds its sums into the gain gradient when there is one chunk,
// or writes one partial sum per column and chunk, which rmsnorm_backward_dgain then adds up.

const WG: u32 = 256u;

var<workgroup> partial: array<f32, WG>;

// tree_sum adds up the `lanes` values of v that sit `stride` apart in invocation order,
// starting at lane 0; every invocation gets its group's total. lanes must be uniform and
// every invocation must call it (it contains barriers).
fn tree_sum(lid: u32, lane: u32, lanes: u32, stride: u32, v: f32) -> f32 {
  partial[lid] = v;
  workgroupBarrier();
  for (var s: u32 = lanes / 2u; s > 0u; s = s / 2u) {
    if (lane < s) { partial[lid] = partial[lid] + partial[lid + s * stride]; }
    workgroupBarrier();
  }
  return partial[lid - lane * stride];
}

// The fields past eps are rmsnorm_backward's: row_groups is how many workgroups the rows
// take; the gain gradient's strips × chunks workgroups follow (chunks is 0 without one).
// With has_mod, row r is modulated by row r / tokens of mod, of mod_m columns, at the
// shift_off and scale_off chunks, and the chunks are the batch items.
struct Rows {
  rows: u32, cols: u32, lanes: u32, has_gain: u32, eps: f32, has_res: u32, row_groups: u32,
  strip: u32, strips: u32, chunk_rows: u32, chunks: u32,
  has_mod: u32, tokens: u32, mod_m: u32, shift_off: u32, scale_off: u32,
}
@group(0) @binding(0) var<uniform> u: Rows;

@group(0) @binding(1) var<storage, read_write> fw_out: array<f32>;
@group(0) @binding(2) var<storage, read_write> fw_rstd: array<f32>;
@group(0) @binding(3) var<storage, read> fw_in: array<f32>;
@group(0) @binding(4) var<storage, read> fw_gain: array<f32>;
@group(0) @binding(5) var<storage, read> fw_mod: array<f32>;

@compute @workgroup_size(WG)
fn rmsnorm_forward(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>,
                   @builtin(num_workgroups) nwg: vec3<u32>) {
  let lane = lid % u.lanes;
  let row = (wid.x + wid.y * nwg.x) * (WG / u.lanes) + lid / u.lanes;
  let live = row < u.rows;
  let base = row * u.cols;
  var ss: f32 = 0.0;
  if (live) {
    for (var c: u32 = lane; c < u.cols; c = c + u.lanes) {
      let v = fw_in[base + c];
      ss = ss + v * v;
    }
  }
  let total = tree_sum(lid, lane, u.lanes, 1u, ss);
  if (!live) { return; }
  let s = 1.0 / sqrt(total / f32(u.cols) + u.eps);
  if (lane == 0u) { fw_rstd[row] = s; }
  let mb = (row / max(u.tokens, 1u)) * u.mod_m;
  for (var c: u32 = lane; c < u.cols; c = c + u.lanes) {
    var g: f32 = 1.0;
    if (u.has_gain != 0u) { g = fw_gain[c]; }
    var v = fw_in[base + c] * s * g;
    if (u.has_mod != 0u) { v = v * (1.0 + fw_mod[mb + u.scale_off + c]) + fw_mod[mb + u.shift_off + c]; }
    fw_out[base + c] = v;
  }
}

@group(0) @binding(1) var<storage, read_write> bw_din: array<f32>;
@group(0) @binding(2) var<storage, read> bw_dout: array<f32>;
@group(0) @binding(3) var<storage, read> bw_in: array<f32>;
@group(0) @binding(4) var<storage, read> bw_gain: array<f32>;
@group(0) @binding(5) var<storage, read> bw_rstd: array<f32>;
@group(0) @binding(6) var<storage, read> bw_res: array<f32>;
@group(0) @binding(7) var<storage, read_write> bw_dgain: array<f32>; // dMod with has_mod
@group(0) @binding(8) var<storage, read> bw_mod: array<f32>;

// bw_scale is what dOut[row, c] is scaled by on its way back: the gain, 1 + the row's
// modulation scale, or 1.
fn bw_scale(row: u32, c: u32) -> f32 {
  if (u.has_gain != 0u) { return bw_gain[c]; }
  if (u.has_mod != 0u) { return 1.0 + bw_mod[(row / max(u.tokens, 1u)) * u.mod_m + u.scale_off + c]; }
  return 1.0;
}

// rmsnorm_backward runs the row workgroups first, then the gain gradient's. The flat
// workgroup index is uniform, so each branch may hold barriers.
@compute @workgroup_size(WG)
fn rmsnorm_backward(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>,
                    @builtin(num_workgroups) nwg: vec3<u32>) {
  let w = wid.x + wid.y * nwg.x;
  if (w < u.row_groups) {
    backward_din(lid, w);
  } else {
    backward_dgain(lid, w - u.row_groups);
  }
}

// backward_din overwrites dIn in row workgroup w: dx = s·g·dy − x·s³/cols·Σ dy·g·x with
// s = rstd[row], plus the residual gradient dRes when there is one.
fn backward_din(lid: u32, w: u32) {
  let lane = lid % u.lanes;
  let row = w * (WG / u.lanes) + lid / u.lanes;
  let live = row < u.rows;
  let base = row * u.cols;
  var acc: f32 = 0.0;
  if (live) {
    for (var c: u32 = lane; c < u.cols; c = c + u.lanes) {
      acc = acc + bw_dout[base + c] * bw_scale(row, c) * bw_in[base + c];
    }
  }
  let total = tree_sum(lid, lane, u.lanes, 1u, acc);
  if (!live) { return; }
  let s = bw_rstd[row];
  let k = s * s * s * total / f32(u.cols);
  for (var c: u32 = lane; c < u.cols; c = c + u.lanes) {
    var dx = s * bw_scale(row, c) * bw_dout[base + c] - k * bw_in[base + c];
    if (u.has_res != 0u) { dx = dx + bw_res[base + c]; }
    bw_din[base + c] = dx;
  }
}

// backward_dgain sums dOut·in·rstd over the rows of one chunk for one strip of columns in
// gain workgroup w (strip w % strips, chunk w / strips). With one chunk it adds the sums
// into dGain; with more, bw_dgain is the partials [chunks, cols] and it writes their row
// chunk. With has_mod the chunk is a batch item, and it overwrites that item's scale
// gradient with the sum and its shift gradient with Σ dOut.
fn backward_dgain(lid: u32, w: u32) {
  // Groups1D may round the grid up past the last strip.
  if (w >= u.strips * u.chunks) { return; }
  let chunk = w / u.strips;
  let lanes = WG / u.strip;
  let lane = lid / u.strip;
  let col = (w % u.strips) * u.strip + lid % u.strip;
  let r0 = chunk * u.chunk_rows;
  let r1 = min(r0 + u.chunk_rows, u.rows);
  var acc: f32 = 0.0;
  var plain: f32 = 0.0;
  if (col < u.cols) {
    for (var r: u32 = r0 + lane; r < r1; r = r + lanes) {
      let i = r * u.cols + col;
      acc = acc + bw_dout[i] * bw_in[i] * bw_rstd[r];
      plain = plain + bw_dout[i];
    }
  }
  let total = tree_sum(lid, lane, lanes, u.strip, acc);
  if (u.has_mod != 0u) {
    workgroupBarrier(); // every lane has read total before partial is reused
    let shift = tree_sum(lid, lane, lanes, u.strip, plain);
    if (lane != 0u || col >= u.cols) { return; }
    bw_dgain[chunk * u.mod_m + u.scale_off + col] = total;
    bw_dgain[chunk * u.mod_m + u.shift_off + col] = shift;
    return;
  }
  if (lane != 0u || col >= u.cols) { return; }
  if (u.chunks == 1u) {
    bw_dgain[col] = bw_dgain[col] + total;
  } else {
    bw_dgain[chunk * u.cols + col] = total;
  }
}

struct ColSum { rows: u32, cols: u32, strip: u32 }
@group(0) @binding(0) var<uniform> cs: ColSum;
@group(0) @binding(1) var<storage, read_write> cs_dgain: array<f32>;
@group(0) @binding(2) var<storage, read> cs_parts: array<f32>;

// rmsnorm_backward_dgain, the gain gradient's second pass, adds the column sums of the
// partials [rows (the chunks), cols] into dGain, one workgroup per strip of columns.
@compute @workgroup_size(WG)
fn rmsnorm_backward_dgain(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let lanes = WG / cs.strip;
  let lane = lid / cs.strip;
  let col = wid.x * cs.strip + lid % cs.strip;
  var acc: f32 = 0.0;
  if (col < cs.cols) {
    for (var r: u32 = lane; r < cs.rows; r = r + lanes) {
      acc = acc + cs_parts[r * cs.cols + col];
    }
  }
  let total = tree_sum(lid, lane, lanes, cs.strip, acc);
  if (lane != 0u || col >= cs.cols) { return; }
  cs_dgain[col] = cs_dgain[col] + total;
}
