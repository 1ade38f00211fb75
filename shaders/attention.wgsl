// Fused softmax attention (FlashAttention style) and its FlashAttention-2 backward.
// q, k, v, out and their gradients are [batch, tokens, heads, DH] row-major, read as vec4
// rows; lse and delta are [batch, heads, tokens].
// A workgroup handles one (batch·head, block of BQ rows): each thread owns one query (or
// key) row and keeps it in private arrays, while tiles of TILE rows of the other side are
// staged through workgroup memory and read by every thread.
// No float atomics exist in WGSL, so the backward is two kernels: dq per query (looping over
// key tiles), which also stores delta = dOut·out of its query, and dk, dv per key (looping
// over query tiles), which reads that delta.

const DH: u32 = 32u;   // head dim, specialised per pipeline (a multiple of 4, at most 64)
const TILE: u32 = 64u; // rows per staged tile, specialised so that two tiles fit 16 KiB
const BQ: u32 = 64u;   // rows per workgroup, one per thread
const D4: u32 = DH / 4u;
const TILE_D4: u32 = TILE * D4; // vec4s per staged tile (naga wants one name as an array size)
// NEG_BIG starts the running max: finite, so exp(NEG_BIG − m) is 0 rather than NaN.
const NEG_BIG: f32 = -3.0e38;

struct Params { batch: u32, tokens: u32, heads: u32, scale: f32 }
@group(0) @binding(0) var<uniform> u: Params;

// Bindings 1-3 are shared by the forward and both backward row kernels.
@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;

var<workgroup> tile_a: array<vec4<f32>, TILE_D4>;
var<workgroup> tile_b: array<vec4<f32>, TILE_D4>;

// row is the vec4 index of element (b, t, h, 0), with bh = b·heads + h.
fn row(bh: u32, t: u32) -> u32 {
  let b = bh / u.heads;
  let h = bh % u.heads;
  return ((b * u.tokens + t) * u.heads + h) * D4;
}

// stage_kv copies key and value rows j0… into tile_a and tile_b (zeros past the end).
fn stage_kv(bh: u32, j0: u32, lid: u32) {
  workgroupBarrier(); // the previous tile is no longer read
  for (var e = lid; e < TILE_D4; e += BQ) {
    let j = j0 + e / D4;
    var kv = vec4<f32>(0.0);
    var vv = vec4<f32>(0.0);
    if (j < u.tokens) {
      let g = row(bh, j) + e % D4;
      kv = k[g];
      vv = v[g];
    }
    tile_a[e] = kv;
    tile_b[e] = vv;
  }
  workgroupBarrier();
}

@group(0) @binding(4) var<storage, read_write> fwd_out: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> fwd_lse: array<f32>;

// attention_forward: one thread per query, online softmax over key tiles. Per tile it takes
// the tile's max logit, rescales the running sum and output accumulator once, then adds
// exp(s − max)·v for every key.
@compute @workgroup_size(BQ)
fn attention_forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bh = wid.y;
  let i = wid.x * BQ + lid;
  // Threads past the last query work on a clamped copy so that every thread reaches the
  // barriers; they write nothing.
  let qi = row(bh, min(i, u.tokens - 1u));
  var qs: array<vec4<f32>, D4>;
  var acc: array<vec4<f32>, D4>;
  for (var d = 0u; d < D4; d += 1u) {
    qs[d] = q[qi + d] * u.scale;
    acc[d] = vec4<f32>(0.0);
  }
  var s: array<f32, TILE>;
  var m: f32 = NEG_BIG;
  var l: f32 = 0.0;
  for (var j0 = 0u; j0 < u.tokens; j0 += TILE) {
    stage_kv(bh, j0, lid);
    let n = min(TILE, u.tokens - j0);
    var mt: f32 = NEG_BIG;
    for (var j = 0u; j < n; j += 1u) {
      var sj: f32 = 0.0;
      for (var d = 0u; d < D4; d += 1u) { sj += dot(qs[d], tile_a[j * D4 + d]); }
      s[j] = sj;
      mt = max(mt, sj);
    }
    let mn = max(m, mt);
    let alpha = exp(m - mn);
    l *= alpha;
    for (var d = 0u; d < D4; d += 1u) { acc[d] *= alpha; }
    for (var j = 0u; j < n; j += 1u) {
      let p = exp(s[j] - mn);
      l += p;
      for (var d = 0u; d < D4; d += 1u) { acc[d] += p * tile_b[j * D4 + d]; }
    }
    m = mn;
  }
  if (i < u.tokens) {
    for (var d = 0u; d < D4; d += 1u) { fwd_out[qi + d] = acc[d] / l; }
    fwd_lse[bh * u.tokens + i] = m + log(l);
  }
}

// Bindings 5 and 7 are shared by both backward row kernels; binding 6 holds delta in both,
// written by the dq kernel and read by the dkv kernel after it.
@group(0) @binding(5) var<storage, read> lse: array<f32>;
@group(0) @binding(7) var<storage, read> dout: array<vec4<f32>>;

@group(0) @binding(4) var<storage, read_write> dq_out: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> dq_delta: array<f32>;
@group(0) @binding(8) var<storage, read> dq_o: array<vec4<f32>>;

// attention_backward_dq: one thread per query i, dq_i = scale·Σ_j P_ij(dOut_i·v_j − delta_i)·k_j
// over staged key and value tiles, with P_ij = exp(scale·q_i·k_j − lse_i). It computes
// delta_i = dOut_i·out_i from the dOut_i it loads anyway, which saves the dispatch of a kernel
// for delta alone, and stores delta_i for the dkv kernel.
@compute @workgroup_size(BQ)
fn attention_backward_dq(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bh = wid.y;
  let i = wid.x * BQ + lid;
  let ic = min(i, u.tokens - 1u); // clamped, as in the forward
  let qi = row(bh, ic);
  let li = lse[bh * u.tokens + ic];
  var qs: array<vec4<f32>, D4>;
  var go: array<vec4<f32>, D4>;
  var acc: array<vec4<f32>, D4>;
  var di: f32 = 0.0;
  for (var d = 0u; d < D4; d += 1u) {
    qs[d] = q[qi + d] * u.scale;
    go[d] = dout[qi + d];
    acc[d] = vec4<f32>(0.0);
    di += dot(go[d], dq_o[qi + d]);
  }
  if (i < u.tokens) { dq_delta[bh * u.tokens + i] = di; }
  for (var j0 = 0u; j0 < u.tokens; j0 += TILE) {
    stage_kv(bh, j0, lid);
    let n = min(TILE, u.tokens - j0);
    for (var j = 0u; j < n; j += 1u) {
      var sj: f32 = 0.0;
      var dp: f32 = 0.0;
      for (var d = 0u; d < D4; d += 1u) {
        sj += dot(qs[d], tile_a[j * D4 + d]);
        dp += dot(go[d], tile_b[j * D4 + d]);
      }
      let ds = exp(sj - li) * (dp - di);
      for (var d = 0u; d < D4; d += 1u) { acc[d] += ds * tile_a[j * D4 + d]; }
    }
  }
  if (i < u.tokens) {
    for (var d = 0u; d < D4; d += 1u) { dq_out[qi + d] = acc[d] * u.scale; }
  }
}

@group(0) @binding(4) var<storage, read_write> dk_out: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> delta: array<f32>;
@group(0) @binding(8) var<storage, read_write> dv_out: array<vec4<f32>>;

// stage_qdo copies query and output-gradient rows i0… into tile_a and tile_b.
fn stage_qdo(bh: u32, i0: u32, lid: u32) {
  workgroupBarrier(); // the previous tile is no longer read
  for (var e = lid; e < TILE_D4; e += BQ) {
    let i = i0 + e / D4;
    var qv = vec4<f32>(0.0);
    var gv = vec4<f32>(0.0);
    if (i < u.tokens) {
      let g = row(bh, i) + e % D4;
      qv = q[g];
      gv = dout[g];
    }
    tile_a[e] = qv;
    tile_b[e] = gv;
  }
  workgroupBarrier();
}

// attention_backward_dkv: one thread per key j over staged query and dOut tiles:
// dv_j = Σ_i P_ij dOut_i and dk_j = scale·Σ_i P_ij(dOut_i·v_j − delta_i)·q_i. lse and delta
// of the tile's query are the same address for every thread, so they are read directly.
@compute @workgroup_size(BQ)
fn attention_backward_dkv(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bh = wid.y;
  let j = wid.x * BQ + lid;
  let kj = row(bh, min(j, u.tokens - 1u)); // clamped, as in the forward
  var ks: array<vec4<f32>, D4>;
  var vj: array<vec4<f32>, D4>;
  var dk: array<vec4<f32>, D4>;
  var dv: array<vec4<f32>, D4>;
  for (var d = 0u; d < D4; d += 1u) {
    ks[d] = k[kj + d] * u.scale;
    vj[d] = v[kj + d];
    dk[d] = vec4<f32>(0.0);
    dv[d] = vec4<f32>(0.0);
  }
  for (var i0 = 0u; i0 < u.tokens; i0 += TILE) {
    stage_qdo(bh, i0, lid);
    let n = min(TILE, u.tokens - i0);
    for (var i = 0u; i < n; i += 1u) {
      var sij: f32 = 0.0;
      var dp: f32 = 0.0;
      for (var d = 0u; d < D4; d += 1u) {
        sij += dot(tile_a[i * D4 + d], ks[d]);
        dp += dot(tile_b[i * D4 + d], vj[d]);
      }
      let t = bh * u.tokens + i0 + i;
      let p = exp(sij - lse[t]);
      let ds = p * (dp - delta[t]);
      for (var d = 0u; d < D4; d += 1u) {
        dv[d] += p * tile_b[i * D4 + d];
        dk[d] += ds * tile_a[i * D4 + d];
      }
    }
  }
  if (j < u.tokens) {
    for (var d = 0u; d < D4; d += 1u) {
      dk_out[kj + d] = dk[d] * u.scale;
      dv_out[kj + d] = dv[d];
    }
  }
}
