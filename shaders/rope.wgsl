// 2-D rotary position embedding. x: [batch, tokens, heads, dh] read as vec2 pairs; pair p of
// a head (p < dh/2) turns by the token's grid row when p < dh/4 and by its grid column
// otherwise, pair i of each half with frequency base^(-i/(dh/4)). One thread per pair.

const WG: u32 = 256u;
const TWO_PI: f32 = 6.283185307179586;

struct Rope {
  pairs: u32,   // batch·tokens·heads·dh/2
  tokens: u32,
  heads: u32,
  quarter: u32, // dh/4, the pairs of each half
  grid_w: u32,
  cells: u32,   // gridH·gridW: token t sits at cell t mod cells
  log2_step: f32, // −log2(base)/quarter: pair i of a half has frequency exp2(i·log2_step)
}
@group(0) @binding(0) var<uniform> u: Rope;
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> x: array<vec2<f32>>;

// rotate turns pair p by sign times its angle.
fn rotate(p: u32, sign: f32) {
  if (p >= u.pairs) { return; }
  let pair = p % (2u * u.quarter);
  let t = p / (2u * u.quarter) / u.heads % u.tokens;
  let cell = t % u.cells;
  let pos = select(cell % u.grid_w, cell / u.grid_w, pair < u.quarter);
  let theta = f32(pos) * exp2(f32(pair % u.quarter) * u.log2_step);
  // Reduce to [-π, π], where GPU sin and cos are accurate.
  let a = theta - TWO_PI * round(theta / TWO_PI);
  let c = cos(a);
  let s = sign * sin(a);
  let v = x[p];
  out[p] = vec2<f32>(v.x * c - v.y * s, v.x * s + v.y * c);
}

@compute @workgroup_size(WG)
fn rope_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  rotate(gid.x + gid.y * nwg.x * WG, 1.0);
}

// rope_backward rotates by the negative angle: the transpose of the forward rotation.
@compute @workgroup_size(WG)
fn rope_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  rotate(gid.x + gid.y * nwg.x * WG, -1.0);
}

// ---- QK-norm and RoPE of a packed qkv: rope_qknorm_forward, rope_qknorm_backward ----------
// qkv: [rows = batch·tokens, 3·heads·dh], each row q ‖ k ‖ v. One thread per (row, head, part):
// for q and k (part 0, 1) it normalises the head vector by its RMS, multiplies by the part's
// gain and rotates it as rope_forward does; v (part 2) is copied. The outputs are head-split:
// qkvh: [3, rows, heads, dh] (q, k and v for attention), rstd: [2, rows·heads].

struct QKNorm {
  rows: u32,
  heads: u32,
  dh: u32,
  tokens: u32,
  grid_w: u32,
  cells: u32,
  log2_step: f32,
  eps: f32,
}
@group(0) @binding(0) var<uniform> qk: QKNorm;

// qk_angle is the rotation angle of pair p (< dh/2) of a head vector in row r, reduced to
// [-π, π]: pairs of the first half turn with the grid row, the others with the column.
fn qk_angle(r: u32, p: u32) -> f32 {
  let quarter = qk.dh / 4u;
  let cell = r % qk.tokens % qk.cells;
  let pos = select(cell % qk.grid_w, cell / qk.grid_w, p < quarter);
  let theta = f32(pos) * exp2(f32(p % quarter) * qk.log2_step);
  return theta - TWO_PI * round(theta / TWO_PI);
}

// qk_rotate turns the pair v by angle a, backwards when sign is −1.
fn qk_rotate(v: vec2<f32>, a: f32, sign: f32) -> vec2<f32> {
  let c = cos(a);
  let s = sign * sin(a);
  return vec2<f32>(v[0] * c - v[1] * s, v[0] * s + v[1] * c);
}

// QKHead is the head vector a thread works on: its row r and part (0 q, 1 k, 2 v; 3 for a
// thread past the end), where it starts in qkv [rows, 3, heads, dh] and in qkvh
// [3, rows, heads, dh], and the index of its rstd [2, rows, heads] (q and k only).
struct QKHead {
  r: u32,
  part: u32,
  qkv: u32,
  qkvh: u32,
  rstd: u32,
}

// qk_head is the head vector of flat thread index i.
fn qk_head(i: u32) -> QKHead {
  if (i >= qk.rows * qk.heads * 3u) { return QKHead(0u, 3u, 0u, 0u, 0u); }
  let r = i / (3u * qk.heads);
  let h = i / 3u % qk.heads;
  let part = i % 3u;
  let e = qk.heads * qk.dh;
  let rh = r * qk.heads + h;
  return QKHead(r, part, r * 3u * e + part * e + h * qk.dh, part * qk.rows * e + rh * qk.dh, part * qk.rows * qk.heads + rh);
}

@group(0) @binding(1) var<storage, read_write> qf_qkvh: array<f32>;
@group(0) @binding(2) var<storage, read_write> qf_rstd: array<f32>;
@group(0) @binding(3) var<storage, read> qf_qkv: array<f32>;
@group(0) @binding(4) var<storage, read> qf_gq: array<f32>;
@group(0) @binding(5) var<storage, read> qf_gk: array<f32>;

@compute @workgroup_size(WG)
fn rope_qknorm_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = qk_head(gid[0] + gid[1] * nwg[0] * WG);
  if (t.part > 2u) { return; }
  let src = t.qkv;
  let dst = t.qkvh;
  if (t.part == 2u) {
    for (var c = 0u; c < qk.dh; c++) { qf_qkvh[dst + c] = qf_qkv[src + c]; }
    return;
  }
  var ss: f32 = 0.0;
  for (var c = 0u; c < qk.dh; c++) { ss += qf_qkv[src + c] * qf_qkv[src + c]; }
  let s = 1.0 / sqrt(ss / f32(qk.dh) + qk.eps);
  qf_rstd[t.rstd] = s;
  for (var c = 0u; c < qk.dh; c += 2u) {
    var g = vec2<f32>(qf_gq[c], qf_gq[c + 1u]);
    if (t.part == 1u) { g = vec2<f32>(qf_gk[c], qf_gk[c + 1u]); }
    let y = qk_rotate(vec2<f32>(qf_qkv[src + c], qf_qkv[src + c + 1u]) * s * g, qk_angle(t.r, c / 2u), 1.0);
    qf_qkvh[dst + c] = y[0];
    qf_qkvh[dst + c + 1u] = y[1];
  }
}

// rope_qknorm_backward is the whole backward in one dispatch: its first qb_dx_groups()
// workgroups overwrite dqkv (qb_dx), the 2·⌈dh/QK_STRIP⌉ after them add the gains'
// gradients into dgq and dgk (qb_dgain), and any past those (Groups1D rounds a grid spread
// over x and y up) do nothing. The gain gradient reads only the forward's values and
// dqkvh, never dqkv, so the two jobs need no order between them; each workgroup picks one
// from its flat index, which is uniform, so qb_dgain's barriers stay in uniform control flow.

const QK_STRIP: u32 = 32u;

@group(0) @binding(1) var<storage, read_write> qb_dqkv: array<f32>;
@group(0) @binding(2) var<storage, read_write> qb_dgq: array<f32>;
@group(0) @binding(3) var<storage, read_write> qb_dgk: array<f32>;
@group(0) @binding(4) var<storage, read> qb_dqkvh: array<f32>;
@group(0) @binding(5) var<storage, read> qb_qkv: array<f32>;
@group(0) @binding(6) var<storage, read> qb_gq: array<f32>;
@group(0) @binding(7) var<storage, read> qb_gk: array<f32>;
@group(0) @binding(8) var<storage, read> qb_rstd: array<f32>;

var<workgroup> qb_part: array<f32, WG>;

// qb_dx_groups is the number of workgroups of one thread per (row, head, part) for qb_dx.
fn qb_dx_groups() -> u32 {
  return (qk.rows * qk.heads * 3u + WG - 1u) / WG;
}

@compute @workgroup_size(WG)
fn rope_qknorm_backward(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>,
                        @builtin(num_workgroups) nwg: vec3<u32>) {
  let w = wid[0] + wid[1] * nwg[0];
  let dx = qb_dx_groups();
  if (w < dx) {
    qb_dx(w * WG + lid);
    return;
  }
  let strips = (qk.dh + QK_STRIP - 1u) / QK_STRIP;
  let g = w - dx;
  if (g >= 2u * strips) { return; }
  qb_dgain(lid, g % strips, g / strips);
}

// qb_gain is the gain pair c, c+1 of part 0 (q) or 1 (k).
fn qb_gain(part: u32, c: u32) -> vec2<f32> {
  if (part == 1u) { return vec2<f32>(qb_gk[c], qb_gk[c + 1u]); }
  return vec2<f32>(qb_gq[c], qb_gq[c + 1u]);
}

// qb_dx overwrites the dqkv of flat thread i's head vector: for q and k, with dy the head's
// output gradient rotated back (the RoPE backward) and s its rstd, dx = s·g·dy −
// x·s³/dh·Σ dy·g·x (the RMSNorm backward); for v, dv itself.
fn qb_dx(i: u32) {
  let t = qk_head(i);
  if (t.part > 2u) { return; }
  let dst = t.qkv;
  let src = t.qkvh;
  if (t.part == 2u) {
    for (var c = 0u; c < qk.dh; c++) { qb_dqkv[dst + c] = qb_dqkvh[src + c]; }
    return;
  }
  var acc: f32 = 0.0;
  for (var c = 0u; c < qk.dh; c += 2u) {
    let dy = qk_rotate(vec2<f32>(qb_dqkvh[src + c], qb_dqkvh[src + c + 1u]), qk_angle(t.r, c / 2u), -1.0);
    acc += dot(dy * qb_gain(t.part, c), vec2<f32>(qb_qkv[dst + c], qb_qkv[dst + c + 1u]));
  }
  let s = qb_rstd[t.rstd];
  let k = s * s * s * acc / f32(qk.dh);
  for (var c = 0u; c < qk.dh; c += 2u) {
    let dy = qk_rotate(vec2<f32>(qb_dqkvh[src + c], qb_dqkvh[src + c + 1u]), qk_angle(t.r, c / 2u), -1.0);
    let dx = s * qb_gain(t.part, c) * dy - k * vec2<f32>(qb_qkv[dst + c], qb_qkv[dst + c + 1u]);
    qb_dqkv[dst + c] = dx[0];
    qb_dqkv[dst + c + 1u] = dx[1];
  }
}

// qb_dgain adds the gain gradient of part (0 q into dgq, 1 k into dgk), Σ over rows and
// heads of dy·x·s (dy rotated back as in qb_dx), for column strip `strip`: QK_STRIP
// adjacent columns (pairs kept together) with WG / QK_STRIP lanes over the rows of every
// head, whose sums meet in workgroup memory. strip and part must be uniform.
fn qb_dgain(lid: u32, strip: u32, part: u32) {
  let lanes = WG / QK_STRIP;
  let lane = lid / QK_STRIP;
  let c = strip * QK_STRIP + lid % QK_STRIP;
  let e = qk.heads * qk.dh;
  var acc: f32 = 0.0;
  if (c < qk.dh) {
    let pair = c - c % 2u;
    for (var rh = lane; rh < qk.rows * qk.heads; rh += lanes) {
      let r = rh / qk.heads;
      let h = rh % qk.heads;
      let src = part * qk.rows * e + rh * qk.dh + pair;
      let dy = qk_rotate(vec2<f32>(qb_dqkvh[src], qb_dqkvh[src + 1u]), qk_angle(r, pair / 2u), -1.0);
      let xc = qb_qkv[r * 3u * e + part * e + h * qk.dh + c];
      acc += dy[c % 2u] * xc * qb_rstd[part * qk.rows * qk.heads + rh];
    }
  }
  qb_part[lid] = acc;
  workgroupBarrier();
  for (var s = lanes / 2u; s > 0u; s /= 2u) {
    if (lane < s) { qb_part[lid] += qb_part[lid + s * QK_STRIP]; }
    workgroupBarrier();
  }
  if (lane != 0u || c >= qk.dh) { return; }
  if (part == 0u) { qb_dgq[c] += qb_part[lid]; } else { qb_dgk[c] += qb_part[lid]; }
}
